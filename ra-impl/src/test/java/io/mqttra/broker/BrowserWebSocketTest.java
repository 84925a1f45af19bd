package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real browser: headless Chromium loads a page whose MQTT.js connects over WebSocket and
 * subscribes; a Java client publishes; the page shows the message.
 */
class BrowserWebSocketTest {

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.withListeners(BrokerConfig.builder()
            .listeners(ListenerConfig.parseList("tcp://127.0.0.1:0, ws://127.0.0.1:0/mqtt")));

    @Test
    void pageInChromiumReceivesAMessagePublishedByJava() throws Exception {
        ExternalClients.requireBrowser();
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve(pages, "/index.html", Path.of("src/test/resources/browser/index.html"), "text/html");
        serve(pages, "/mqtt.min.js", Path.of("src/test/node/node_modules/mqtt/dist/mqtt.min.js"), "application/javascript");
        pages.start();
        Path screenshot = new File("target/browser-websocket.png").toPath().toAbsolutePath();
        String url = "http://127.0.0.1:" + pages.getAddress().getPort() + "/index.html?broker=ws://127.0.0.1:"
                + broker.port(1) + "/mqtt";
        Process browser = ExternalClients.start(ExternalClients.NODE_PROJECT, "node", "browser.js", url, screenshot.toString());
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
             MqttClient java = new MqttClient(broker.uri(), "java-publisher", new MemoryPersistence())) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("READY")) {
                output.append(line).append('\n');
            }
            assertEquals("READY", line, "the page subscribed: " + output);
            java.connect();
            java.publish("browser/demo", "hello, browser".getBytes(StandardCharsets.UTF_8), 1, false);
            String message = null;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("MESSAGE ")) {
                    message = line.substring("MESSAGE ".length());
                }
            }
            assertEquals("browser/demo hello, browser", message, output.toString());
            assertTrue(browser.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, browser.exitValue(), output.toString());
            assertTrue(Files.size(screenshot) > 0, "screenshot taken: " + screenshot);
            java.disconnect();
        } finally {
            browser.destroyForcibly();
            pages.stop(0);
        }
    }

    private static void serve(HttpServer server, String path, Path file, String type) {
        server.createContext(path, exchange -> {
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().put("Content-Type", List.of(type));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
