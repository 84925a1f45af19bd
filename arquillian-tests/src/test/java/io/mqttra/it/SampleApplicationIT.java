package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.Await;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's quick start with the sample application: mosquitto_pub to the telemetry MDB, which logs
 * what it got; a REST call that publishes a device command; mosquitto_rr against the echo service.
 * Runs on both servers; on Liberty the test server installs the sample application as the run-liberty quick
 * start does, with its role binding ({@link Deployments#samples}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SampleApplicationIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "samples", order = 2, testable = false)
    static Archive<?> samples() {
        return Deployments.samples();
    }

    @Test
    void restEndpointPublishesACommandThatMosquittoSubReceives(@ArquillianResource @OperateOnDeployment("samples") URL deployed)
            throws Exception {
        URL samples = Deployments.url(deployed, "mqtt-ra-samples.war");
        MosquittoClients.requireInstalled();
        Process sub = MosquittoClients.subscribe("-t", "devices/42/commands", "-C", "1", "-W", "15");
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 40 && sub.isAlive(); i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(samples + "api/devices/42/commands"))
                        .header("Authorization", TestUsers.basicAuthorization(TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD))
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("reboot")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, r.statusCode(), r.body());
                sub.waitFor(250, TimeUnit.MILLISECONDS);
            }
            assertTrue(sub.waitFor(5, TimeUnit.SECONDS), "mosquitto_sub received the command");
            assertEquals("reboot", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void restEndpointsNeedAnOperator(@ArquillianResource @OperateOnDeployment("samples") URL deployed) throws Exception {
        URL samples = Deployments.url(deployed, "mqtt-ra-samples.war");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder command = HttpRequest.newBuilder(URI.create(samples + "api/devices/43/commands"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("reboot"));
        assertEquals(401, http.send(command.build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "no credentials");
        assertEquals(403, http.send(command.header("Authorization", TestUsers.basicAuthorization(TestUsers.DEVICE, TestUsers.DEVICE_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "a device is not an operator");
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(samples + "api/telemetry")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "reading telemetry needs a login too");
    }

    @Test
    void badCommandsAreA400NotA503(@ArquillianResource @OperateOnDeployment("samples") URL deployed) throws Exception {
        URL samples = Deployments.url(deployed, "mqtt-ra-samples.war");
        HttpClient http = HttpClient.newHttpClient();
        String operator = TestUsers.basicAuthorization(TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD);
        HttpResponse<String> nul = http.send(HttpRequest.newBuilder(URI.create(samples + "api/devices/a%00b/commands"))
                .header("Authorization", operator).POST(HttpRequest.BodyPublishers.ofString("reboot")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, nul.statusCode(), "a device id with U+0000: " + nul.body());
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(samples + "api/devices/44/commands"))
                .header("Authorization", operator).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, big.statusCode(), "a 3 MiB command, beyond maxPacketSize: " + big.body());
        assertTrue(big.body().contains("maxPacketSize"), big.body());
    }

    @Test
    void mosquittoRrGetsTheEchoServiceAnswer() throws Exception {
        MosquittoClients.requireInstalled();
        Process rr = new ProcessBuilder("/usr/bin/mosquitto_rr", "-h", "127.0.0.1", "-p", "1883",
                "-u", TestUsers.DEVICE, "-P", TestUsers.DEVICE_PASSWORD, "-t", "service/echo",
                "-e", "replies/sample-it", "-m", "ping", "-W", "10").redirectErrorStream(true).start();
        assertTrue(rr.waitFor(15, TimeUnit.SECONDS));
        String out = new String(rr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, rr.exitValue(), out);
        assertEquals("echo: ping", out);
    }

    @Test
    void telemetryIsStoredInTheDatabaseByTheTransactedMdb(@ArquillianResource @OperateOnDeployment("samples") URL deployed)
            throws Exception {
        URL samples = Deployments.url(deployed, "mqtt-ra-samples.war");
        MosquittoClients.requireInstalled();
        String payload = "19.0-" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoClients.publish("-i", "stored-thermo", "-t", "sensors/cellar/temperature", "-q", "1", "-m", payload);
        String expected = "sensors/cellar/temperature " + payload + " stored-thermo";
        HttpClient http = HttpClient.newHttpClient();
        Await.until(Duration.ofSeconds(10), "a TELEMETRY row '" + expected + "'",
                () -> http.send(HttpRequest.newBuilder(URI.create(samples + "api/telemetry?limit=100"))
                                .header("Authorization", TestUsers.basicAuthorization(TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD)).build(),
                        HttpResponse.BodyHandlers.ofString()).body(),
                rows -> rows.contains(expected));
    }

    @Test
    void telemetryMdbLogsTopicSizeQosClientAndUserButNotThePayload() throws Exception {
        MosquittoClients.requireInstalled();
        String payload = "21.5-" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoClients.publish("-i", "quickstart-thermo", "-t", "sensors/room1/temperature", "-q", "1", "-m", payload);

        String expected = "Telemetry: topic=sensors/room1/temperature bytes=" + payload.length()
                + " qos=1 clientId=quickstart-thermo user=" + TestUsers.DEVICE;
        ServerLog.awaitLine(Duration.ofSeconds(10), expected);
        assertFalse(ServerLog.text().contains(payload), "payloads are not logged at INFO");
    }
}
