package io.mqttra.it;

import io.mqttra.it.liberty.LibertyAdapterSettings;
import java.io.File;
import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.Archive;
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

    /**
     * Whether the tests run against Open Liberty (the pom's liberty execution). There the adapter is
     * installed by the test server's server.xml ({@code <resourceAdapter>}), as Liberty users install it,
     * and configured there; a test's adapter deployment is then a placeholder.
     */
    static boolean onLiberty() {
        return System.getProperty("arquillian.launch", "").startsWith("liberty");
    }

    /** The adapter exactly as users deploy it (on Liberty: installed by server.xml, see {@link #onLiberty}). */
    static Archive<?> rar() {
        return onLiberty() ? libertyPlaceholder("mqtt-ra") : packagedRar();
    }

    private static ResourceAdapterArchive packagedRar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, deployable(RAR_NAME));
    }

    /** What stands on Liberty for a deployment that the test server's server.xml installs: an empty web application. */
    private static WebArchive libertyPlaceholder(String installed) {
        return ShrinkWrap.create(WebArchive.class, installed + "-installed-by-server-xml.war")
                .addAsWebResource(new StringAsset("On Liberty " + installed + " is installed by src/test/liberty/server.xml\n"),
                        "placeholder.txt");
    }

    /**
     * Where an application is reached: on WildFly the URL Arquillian gives for its deployment; on Liberty that of
     * the {@code <webApplication>} of the test server (context root: the WAR's name), as {@link #console} and
     * {@link #samples} install it there.
     */
    static URL url(URL deployed, String war) {
        if (!onLiberty()) {
            return deployed;
        }
        try {
            return URI.create("http://127.0.0.1:9080/" + war.replace(".war", "") + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The adapter with extra activation settings: resource adapter properties
     * ({@code <config-property name="...">}) and admin objects, added to the packaged
     * {@code META-INF/ironjacamar.xml} so that its connection definitions stay.
     */
    static Archive<?> rarWith(String name, String configProperties, String adminObjects) {
        if (onLiberty()) {
            // the admin objects are the test server's (src/test/liberty/server.xml); the properties are applied by
            // LibertyAdapterSettings as a server.xml override, as a Liberty operator would change them
            WebArchive placeholder = libertyPlaceholder("mqtt-ra");
            return configProperties.isBlank() ? placeholder : placeholder.addAsWebResource(
                    new StringAsset(LibertyAdapterSettings.document(configProperties)), LibertyAdapterSettings.ASSET);
        }
        ResourceAdapterArchive packaged = packagedRar();
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

    /**
     * The dashboard and metrics WAR, mqtt-ra-console.war, as users deploy it. On Liberty the test server installs
     * it from {@code apps/} with its role binding, as users install it: reach it through {@link #url}.
     */
    static WebArchive console() {
        return onLiberty() ? libertyPlaceholder("mqtt-ra-console")
                : ShrinkWrap.createFromZipFile(WebArchive.class, deployable("mqtt-ra-console.war"));
    }

    /** The sample application, mqtt-ra-samples.war; on Liberty installed by the test server as {@link #console}. */
    static WebArchive samples() {
        return onLiberty() ? libertyPlaceholder("mqtt-ra-samples")
                : ShrinkWrap.createFromZipFile(WebArchive.class, deployable("mqtt-ra-samples.war"));
    }

    static File pahoJar() {
        return deployable("paho-mqttv3.jar");
    }

    static File pahoV5Jar() {
        return deployable("paho-mqttv5.jar");
    }

    /**
     * A WAR that also sees the adapter's own classes (ra-api's native MqttConnectionFactory): on WildFly through
     * its manifest, on Liberty through the {@code classProviderRef} the test server gives every test application.
     */
    static WebArchive jmsAndAdapterWar(String name) {
        return ShrinkWrap.create(WebArchive.class, name)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api, deployment." + RAR_NAME + "\n"));
    }
}
