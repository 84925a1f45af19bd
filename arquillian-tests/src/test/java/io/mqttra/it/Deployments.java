package io.mqttra.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archives the integration tests deploy: the real mqtt-ra.rar built by the reactor, and test WARs. */
final class Deployments {

    /** The name MDBs bind to ({@code @ResourceAdapter}, ejb3 default-resource-adapter-name). */
    static final String RAR_NAME = "mqtt-ra.rar";

    private Deployments() {
    }

    static File deployable(String name) {
        File dir = new File(System.getProperty("test.deployables", "target/deployables"));
        File file = new File(dir, name);
        if (!file.isFile()) {
            throw new IllegalStateException(file + " is missing; run the tests through Maven (mvn verify)");
        }
        return file;
    }

    /** The adapter exactly as users deploy it. */
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, deployable(RAR_NAME));
    }

    /**
     * The adapter with extra activation settings: resource adapter properties
     * ({@code <config-property name="...">}) and admin objects, added to the packaged
     * {@code META-INF/ironjacamar.xml} so that its connection definitions stay.
     */
    static ResourceAdapterArchive rarWith(String name, String configProperties, String adminObjects) {
        ResourceAdapterArchive packaged = rar();
        String xml;
        try (var in = packaged.get("META-INF/ironjacamar.xml").getAsset().openStream()) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        int afterRoot = xml.indexOf('>', xml.indexOf("<ironjacamar")) + 1;
        xml = xml.substring(0, afterRoot) + "\n" + configProperties + xml.substring(afterRoot);
        xml = xml.replace("</ironjacamar>", adminObjects + "\n</ironjacamar>");
        ResourceAdapterArchive rar = ShrinkWrap.create(ResourceAdapterArchive.class, name).merge(packaged);
        rar.delete("META-INF/ironjacamar.xml");
        return rar.addAsManifestResource(new StringAsset(xml), "ironjacamar.xml");
    }

    /** A WAR that can use jakarta.jms (WildFly's standalone.xml has no messaging subsystem to add it). */
    static WebArchive jmsWar(String name) {
        return ShrinkWrap.create(WebArchive.class, name)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api\n"));
    }

    /** The dashboard and metrics WAR, mqtt-ra-console.war, as users deploy it. */
    static WebArchive console() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, deployable("mqtt-ra-console.war"));
    }

    static File pahoJar() {
        return deployable("paho-mqttv3.jar");
    }

    static File pahoV5Jar() {
        return deployable("paho-mqttv5.jar");
    }

    /** A WAR that also sees the adapter's own classes (ra-api's native MqttConnectionFactory). */
    static WebArchive jmsAndAdapterWar(String name) {
        return ShrinkWrap.create(WebArchive.class, name)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api, deployment." + RAR_NAME + "\n"));
    }
}
