package io.mqttra.it.liberty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.Node;

/**
 * A test class's own adapter properties on Open Liberty, where the adapter is the server's: as a Liberty
 * operator changes them, in a server.xml file ({@code configDropins/overrides}) that Liberty merges into the
 * {@code <resourceAdapter>} and applies while it runs, restarting the adapter. Written before the class's
 * adapter placeholder is deployed, removed after it is undeployed; each time this waits for the adapter to have
 * started again with the new configuration.
 */
public class LibertyAdapterSettings {

    /** Where {@code Deployments.rarWith} puts the settings in the placeholder archive, as a server.xml document. */
    public static final String ASSET = "mqtt-ra-settings.xml";
    private static final String STARTED = "MQTT-RA resource adapter started";
    private static final Duration RESTART = Duration.ofSeconds(90);

    public void apply(@Observes BeforeDeploy event) throws Exception {
        if (onLiberty(event.getDeployableContainer()) && settings(event.getDeployment().getArchive()) != null) {
            String document = settings(event.getDeployment().getArchive());
            restartAdapterAfter(() -> Files.writeString(overrides(), document, StandardCharsets.UTF_8));
        }
    }

    public void remove(@Observes AfterUnDeploy event) throws Exception {
        if (onLiberty(event.getDeployableContainer()) && settings(event.getDeployment().getArchive()) != null) {
            restartAdapterAfter(() -> Files.deleteIfExists(overrides()));
        }
    }

    /**
     * The server.xml document for {@code <config-property name="n">value</config-property>} elements, as
     * {@code ironjacamar.xml} has them: one attribute each of {@code <properties.mqtt-ra>}. A value's lines
     * (aclRules) are joined with {@code ;}, which the adapter takes as their separator too: an XML attribute
     * would turn its line breaks into spaces.
     */
    public static String document(String configProperties) {
        StringBuilder attributes = new StringBuilder();
        Matcher m = Pattern.compile("<config-property name=\"([^\"]+)\">(.*?)</config-property>", Pattern.DOTALL)
                .matcher(configProperties);
        while (m.find()) {
            String value = String.join(";", m.group(2).strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
            // the value is XML text already (&amp;): only the attribute's own quote needs escaping
            attributes.append("\n      ").append(m.group(1)).append("=\"").append(value.replace("\"", "&quot;")).append('"');
        }
        return "<server>\n  <resourceAdapter id=\"mqtt-ra\">\n    <properties.mqtt-ra" + attributes
                + "/>\n  </resourceAdapter>\n</server>\n";
    }

    private interface Change {
        void run() throws IOException;
    }

    /** Makes the change, then waits until the adapter logs that it started once more. */
    private static void restartAdapterAfter(Change change) throws Exception {
        long startsBefore = starts();
        change.run();
        long deadline = System.nanoTime() + RESTART.toNanos();
        while (starts() <= startsBefore) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the adapter did not start again within " + RESTART + " after its settings changed;"
                        + " see " + LibertyServer.log());
            }
            Thread.sleep(200);
        }
    }

    private static long starts() throws IOException {
        try (var lines = Files.lines(LibertyServer.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(STARTED)).count();
        }
    }

    private static String settings(Archive<?> archive) throws IOException {
        Node node = archive.get(ASSET);
        if (node == null || node.getAsset() == null) {
            return null;
        }
        try (var in = node.getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean onLiberty(Object container) {
        return container.getClass().getName().startsWith("io.openliberty.");
    }

    private static Path overrides() throws IOException {
        return Files.createDirectories(LibertyServer.dir().resolve("configDropins/overrides")).resolve("it-adapter-settings.xml");
    }
}
