package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's quick start: mosquitto_pub to the sample application's telemetry MDB, which logs what it got. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SampleApplicationIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "samples", order = 2, testable = false)
    static Archive<?> samples() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, Deployments.deployable("mqtt-ra-samples.war"));
    }

    @Test
    void telemetryMdbLogsTopicPayloadQosAndClientId() throws Exception {
        MosquittoClients.requireInstalled();
        String payload = "21.5-" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoClients.publish("-i", "quickstart-thermo", "-t", "sensors/room1/temperature", "-q", "1", "-m", payload);

        String expected = "Telemetry: topic=sensors/room1/temperature payload=" + payload + " qos=1 clientId=quickstart-thermo";
        Path log = Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(expected)) {
            assertTrue(System.currentTimeMillis() < deadline, "server.log has no line containing: " + expected);
            Thread.sleep(100);
        }
    }
}
