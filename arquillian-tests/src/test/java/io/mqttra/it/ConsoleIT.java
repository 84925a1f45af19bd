package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mqttra.testing.Await;
import io.mqttra.testing.ServerDisconnect;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mqtt-ra-console.war beside the adapter (and the sample application, whose bean fills the beans' table): its
 * Prometheus endpoint against traffic the test produced, its login and CSRF rules, and the dashboard in real
 * Chromium.
 * Runs on both servers; on Liberty the test server installs the console and the sample application with their
 * role bindings ({@link Deployments#console}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    private static final String BROKER_URI = "tcp://127.0.0.1:1883";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final File NODE_PROJECT = new File("../ra-impl/src/test/node");

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "console", order = 2, testable = false)
    static Archive<?> console() {
        return Deployments.console();
    }

    @Deployment(name = "samples", order = 3, testable = false)
    static Archive<?> samples() {
        return Deployments.samples();
    }

    @ArquillianResource
    @OperateOnDeployment("console")
    private URL console;

    private HttpResponse<String> request(String path, String user, String password, String method, String csrf)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(Deployments.url(console, "mqtt-ra-console.war") + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            r.header("Authorization", TestUsers.basicAuthorization(user, password));
        }
        if (csrf != null) {
            r.header("X-MQTT-RA-Console", csrf);
        }
        // HTTP/1.1 as browsers speak it without TLS: Liberty 26 never answers the JDK client's h2c upgrade of a
        // static page (the welcome file; curl --http2 hangs alike), while every servlet answers either way
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics endpoint as name{labels} -> value, read as the operator (role mqtt-admin). */
    private Map<String, Double> metrics() throws Exception {
        HttpResponse<String> r = request("metrics", TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD, "GET", null);
        assertEquals(200, r.statusCode(), r.body());
        // Prometheus' text format 0.0.4 in UTF-8; each server spaces the parameters its own way
        assertEquals("text/plain;version=0.0.4;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        Map<String, Double> values = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.get(name) - before.get(name);
    }

    @Test
    void metricsMoveByExactlyTheTrafficOfTheTest() throws Exception {
        String topic = "it/console/" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Double> before = metrics();
        System.out.println("Before: " + before);
        assertEquals(1.0, before.get("mqttra_up"));

        int readings = 6;
        CountDownLatch arrived = new CountDownLatch(readings + 1);
        CountDownLatch cleared = new CountDownLatch(readings + 2);
        try (MqttClient subscriber = new MqttClient(BROKER_URI, "console-it-sub", new MemoryPersistence());
             MqttClient publisher = new MqttClient(BROKER_URI, "console-it-pub", new MemoryPersistence())) {
            subscriber.connect(TestUsers.device());
            subscriber.subscribe(topic + "/#", 1, (t, m) -> {
                arrived.countDown();
                cleared.countDown();
            });
            publisher.connect(TestUsers.device());
            for (int i = 0; i < readings; i++) {
                publisher.publish(topic + "/" + i, ("reading " + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.publish(topic + "/state", "on".getBytes(StandardCharsets.UTF_8), 1, true);
            assertTrue(arrived.await(10, TimeUnit.SECONDS), "the subscriber got every message");

            Map<String, Double> during = metrics();
            assertEquals(2, delta(before, during, "mqttra_clients_connected"), "two clients connected");
            assertEquals(1, delta(before, during, "mqttra_retained_messages"), "one retained message");
            assertEquals(1, delta(before, during, "mqttra_subscriptions"), "the subscriber's subscription");
            // clearing the retained message is one more message, routed to the subscriber like any other
            publisher.publish(topic + "/state", new byte[0], 1, true);
            assertTrue(cleared.await(10, TimeUnit.SECONDS), "the subscriber got the clearing message");
            subscriber.disconnect();
            publisher.disconnect();
        }
        int messages = readings + 2;
        Map<String, Double> after = Await.until(WAIT, "the clients gone from the metrics", this::metrics,
                m -> m.get("mqttra_clients_connected").equals(before.get("mqttra_clients_connected")));
        System.out.println("After: " + after);
        assertEquals(messages, delta(before, after, "mqttra_messages_received_total"), "PUBLISH packets received");
        assertEquals(messages, delta(before, after, "mqttra_messages_sent_total"), "PUBLISH packets sent");
        assertEquals(0, delta(before, after, "mqttra_retained_messages"), "the retained message cleared");
        assertEquals(2, delta(before, after, "mqttra_connections_total"), "connections accepted");
        assertEquals(0, delta(before, after, "mqttra_messages_dropped_total"));
        assertTrue(after.containsKey("mqttra_activation_delivered_total{bean=\"io.mqttra.samples.TelemetryMdb\"}"), after.keySet().toString());
    }

    @Test
    void everyPageNeedsTheRoleMqttAdmin() throws Exception {
        assertEquals(401, request("metrics", null, null, "GET", null).statusCode());
        assertEquals(401, request("", null, null, "GET", null).statusCode());
        // the user device logs in but has not the role
        assertEquals(403, request("metrics", TestUsers.DEVICE, TestUsers.DEVICE_PASSWORD, "GET", null).statusCode());
        assertEquals(200, request("", TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD, "GET", null).statusCode());
    }

    @Test
    void aPostWithoutTheConsolesHeaderIsRefused() throws Exception {
        HttpResponse<String> forged = request("api/clients/disconnect?clientId=x", TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD, "POST", null);
        assertEquals(403, forged.statusCode(), forged.body());
        HttpResponse<String> ok = request("api/clients/disconnect?clientId=x", TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD, "POST", "1");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("{\"result\":\"false\"}", ok.body(), "no client x to disconnect");
    }

    @Test
    void dashboardInChromiumShowsLiveFiguresAndTheTopicTreeAndDisconnectsAClient() throws Exception {
        assumeTrue(new File("/usr/bin/chromium").canExecute() && new File(NODE_PROJECT, "node_modules/playwright-core").isDirectory(),
                "Debian's chromium with playwright-core (npm ci in ra-impl/src/test/node)");
        String victim = "console-it-v5-" + UUID.randomUUID().toString().substring(0, 8); // server.log keeps earlier runs
        MqttAsyncClient paho = new MqttAsyncClient(BROKER_URI, victim, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        ServerDisconnect told = new ServerDisconnect();
        paho.setCallback(told);
        paho.connect(TestUsers.deviceV5()).waitForCompletion(10_000);

        Path screenshot = Path.of("target/console-dashboard.png").toAbsolutePath();
        Process browser = new ProcessBuilder("node", "console.js", Deployments.url(console, "mqtt-ra-console.war").toString(), TestUsers.OPERATOR,
                TestUsers.OPERATOR_PASSWORD, victim, screenshot.toString())
                .directory(NODE_PROJECT).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
             MqttClient publisher = new MqttClient(BROKER_URI, "console-it-plant", new MemoryPersistence())) {
            String line = readUntil(lines, output, "READY");
            publisher.connect(TestUsers.device());
            publishSomeTelemetry(publisher);
            line = readUntil(lines, output, "MOVED");
            System.out.println("Browser: " + line);
            String tree = readUntil(lines, output, "TREE count=");
            for (int i = 0; i < 5; i++) {
                publisher.publish("sensors/room1/temperature", "42.5".getBytes(StandardCharsets.UTF_8), 1, false);
            }
            String moved = readUntil(lines, output, "TREE MOVED");
            System.out.println("Browser: " + tree + " / " + moved);
            assertEquals(count(tree) + 5, count(moved), "the topic tree counted the 5 messages: " + moved);
            assertTrue(moved.endsWith("preview=42.5"), "the latest payload shown: " + moved);
            readUntil(lines, output, "CLICKED");
            MqttDisconnectResponse r = told.await(10);
            assertEquals(0x98, r.getReturnCode(), "Administrative action");
            readUntil(lines, output, "DONE");
            assertTrue(browser.waitFor(20, TimeUnit.SECONDS), output.toString());
            assertEquals(0, browser.exitValue(), output.toString());
            assertTrue(Files.size(screenshot) > 0, "screenshot taken: " + screenshot);
            clearRetained(publisher);
            publisher.disconnect();
        } finally {
            browser.destroyForcibly();
            paho.close(true);
        }
        System.out.println(output);
        String logged = ServerLog.awaitLine(WAIT, "disconnected client '" + victim + "'");
        System.out.println("Logged: " + logged);
        assertTrue(logged.contains("MQTT-RA administration: " + TestUsers.OPERATOR + " disconnected client '" + victim + "'"), logged);
    }

    /** Telemetry of a small plant over two seconds: retained states for the topic tree, readings for the sample bean. */
    private static void publishSomeTelemetry(MqttClient publisher) throws Exception {
        String[] lines = {"line1", "line2"};
        for (String line : lines) {
            publisher.publish("plant/" + line + "/state", "{\"running\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
        }
        for (int i = 0; i < 40; i++) {
            String room = "room" + (i % 3 + 1);
            publisher.publish("sensors/" + room + "/temperature", String.valueOf(20 + i % 5).getBytes(StandardCharsets.UTF_8), 1, i < 3);
            Thread.sleep(50);
        }
    }

    /** Later tests count retained messages: leave none. */
    private static void clearRetained(MqttClient publisher) throws Exception {
        for (String topic : new String[] {"plant/line1/state", "plant/line2/state", "sensors/room1/temperature",
                "sensors/room2/temperature", "sensors/room3/temperature"}) {
            publisher.publish(topic, new byte[0], 1, true);
        }
    }

    /** {@code n} of a line {@code TREE ... count=<n> preview=...}. */
    private static long count(String line) {
        return Long.parseLong(line.replaceAll(".*count=(\\d+).*", "$1"));
    }

    private static String readUntil(BufferedReader lines, StringBuilder output, String prefix) throws Exception {
        String line;
        while ((line = lines.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("ERROR")) {
                break;
            }
        }
        throw new AssertionError("no " + prefix + " from the browser: " + output);
    }
}
