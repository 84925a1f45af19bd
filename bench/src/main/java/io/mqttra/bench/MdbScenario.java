package io.mqttra.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mdb} scenario (brokers {@code wildfly} and {@code artemis}): P publishers send QoS 1
 * messages that message-driven beans consume, and the rate is how fast the beans finish them: a
 * non-transacted bean, and a transacted one that inserts each message into H2 ({@code ExampleDS}).
 * Artemis runs the same two consumers over its own MQTT → JMS path ({@link ArtemisJmsConsumers}).
 */
final class MdbScenario {

    private static final int PUBLISHERS = 4;
    private static final int WINDOW = 100;

    private MdbScenario() {
    }

    static List<Scenarios.Result> run(BrokerUnderTest broker, int perPublisher) throws Exception {
        if (!broker.name.equals("wildfly") && !broker.name.equals("artemis")) {
            return List.of();
        }
        HttpClient http = HttpClient.newHttpClient();
        awaitApplication(http);
        List<Scenarios.Result> results = new ArrayList<>();
        for (String bean : new String[] {"plain", "tx"}) {
            results.add(measure(broker, http, bean, perPublisher));
        }
        return results;
    }

    private static Scenarios.Result measure(BrokerUnderTest broker, HttpClient http, String bean, int perPublisher)
            throws Exception {
        http.send(HttpRequest.newBuilder(countUri(bean)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        List<Mqtt3AsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier("mdb-pub-" + bean + i)
                    .serverHost("127.0.0.1").serverPort(broker.port).buildAsync();
            c.connect().get(10, TimeUnit.SECONDS);
            pubs.add(c);
        }
        long total = (long) PUBLISHERS * perPublisher;
        byte[] payload = new byte[64];
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Mqtt3AsyncClient c = pubs.get(i);
            String topic = "bench/mdb/" + bean + "/" + i;
            Thread t = new Thread(() -> {
                Semaphore window = new Semaphore(WINDOW);
                try {
                    for (int n = 0; n < perPublisher; n++) {
                        window.acquire();
                        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                                .whenComplete((r, e) -> window.release());
                    }
                    window.acquire(WINDOW);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long done = 0;
        long lastChange = System.nanoTime();
        long doneAt = start;
        while (done < total && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(10)) {
            long now = count(http, bean);
            if (now != done) {
                done = now;
                lastChange = System.nanoTime();
                doneAt = lastChange;
            }
            Thread.sleep(20);
        }
        for (Mqtt3AsyncClient c : pubs) {
            c.disconnect().get();
        }
        double rate = done / ((doneAt - start) / 1e9);
        return new Scenarios.Result("mdb " + bean, broker.name, 1, 64, "msg/s", rate, total, done);
    }

    private static URI countUri(String bean) {
        return URI.create("http://127.0.0.1:8080/bench-mdb/count?bean=" + bean);
    }

    private static long count(HttpClient http, String bean) throws IOException, InterruptedException {
        return Long.parseLong(http.send(HttpRequest.newBuilder(countUri(bean)).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim());
    }

    private static void awaitApplication(HttpClient http) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(countUri("plain")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // WildFly's HTTP listener is not up yet
            }
            Thread.sleep(250);
        }
        throw new IOException("the mdb scenario's consumers did not answer on " + countUri("plain") + " within 120 s");
    }
}
