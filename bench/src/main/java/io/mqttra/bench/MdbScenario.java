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
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mdb} scenario (brokers {@code wildfly}, {@code liberty} and {@code artemis}): P publishers send QoS 1
 * messages that message-driven beans consume, and the rate is how fast the beans finish them: a
 * non-transacted bean, and a transacted one that inserts each message into H2 (the server's default data source).
 * Artemis runs the same two consumers over its own MQTT → JMS path ({@link ArtemisJmsConsumers}). In
 * WildFly and Liberty a third, durable bean shows what the message store costs; the broker {@code wildfly-sync}
 * forces each of its writes to the device ({@code syncWrites=true}).
 */
final class MdbScenario {

    private static final int PUBLISHERS = 4;
    private static final int WINDOW = 100;

    private MdbScenario() {
    }

    static List<Scenarios.Result> run(BrokerUnderTest broker, int perPublisher) throws Exception {
        boolean server = broker.name.equals("wildfly") || broker.name.equals("wildfly-sync") || broker.name.equals(BrokerUnderTest.NO_JMX)
                || broker.name.equals(BrokerUnderTest.LIBERTY);
        if (!server && !broker.name.equals("artemis")) {
            return List.of();
        }
        HttpClient http = HttpClient.newHttpClient();
        awaitApplication(http, broker.httpPort());
        List<Scenarios.Result> results = new ArrayList<>();
        for (String bean : server ? new String[] {"plain", "tx", "durable"} : new String[] {"plain", "tx"}) {
            results.add(measure(broker, http, bean, perPublisher));
        }
        return results;
    }

    private static Scenarios.Result measure(BrokerUnderTest broker, HttpClient http, String bean, int perPublisher)
            throws Exception {
        http.send(HttpRequest.newBuilder(countUri(broker.httpPort(), bean)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
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
            long now = count(http, broker.httpPort(), bean);
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

    private static URI countUri(int port, String bean) {
        return URI.create("http://127.0.0.1:" + port + "/bench-mdb/count?bean=" + bean);
    }

    private static long count(HttpClient http, int port, String bean) throws IOException, InterruptedException {
        return Long.parseLong(http.send(HttpRequest.newBuilder(countUri(port, bean)).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim());
    }

    private static void awaitApplication(HttpClient http, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(countUri(port, "plain")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server's HTTP listener is not up yet
            }
            Thread.sleep(250);
        }
        throw new IOException("the mdb scenario's consumers did not answer on " + countUri(port, "plain") + " within 120 s");
    }

    /** The MDB rows set against each other: the bean against the engine's fan-in, Artemis, and the store's cost. */
    static String summary(List<Scenarios.Result> results) {
        StringBuilder md = new StringBuilder();
        Scenarios.Result engineFanIn = find(results, "fanin", "engine", 1, 64);
        for (String server : new String[] {"WildFly", "Liberty"}) {
            Scenarios.Result plain = find(results, "mdb plain", server.toLowerCase(Locale.ROOT), 1, 64);
            if (plain != null && engineFanIn != null && engineFanIn.value() > 0) {
                md.append(String.format(Locale.ROOT, "%nMQTT → non-transacted MDB in %s: %.0f msg/s = %.2f× the engine's own"
                        + " MQTT → MQTT fan-in at QoS 1 (64 B) in this run.%n", server, plain.value(), plain.value() / engineFanIn.value()));
            }
        }
        for (String bean : new String[] {"plain", "tx"}) {
            Scenarios.Result mdb = find(results, "mdb " + bean, "wildfly", 1, 64);
            Scenarios.Result artemis = find(results, "mdb " + bean, "artemis", 1, 64);
            if (mdb != null && artemis != null && artemis.value() > 0) {
                md.append(String.format(Locale.ROOT, "%nMQTT → %s MDB in WildFly ÷ Artemis's MQTT → JMS consumer: %.2f×.%n",
                        bean.equals("tx") ? "transacted" : "non-transacted", mdb.value() / artemis.value()));
            }
        }
        for (String broker : new String[] {"wildfly", "wildfly-sync", BrokerUnderTest.LIBERTY}) {
            Scenarios.Result durable = find(results, "mdb durable", broker, 1, 64);
            Scenarios.Result plainHere = find(results, "mdb plain", broker, 1, 64);
            if (durable != null && plainHere != null && plainHere.value() > 0) {
                md.append(String.format(Locale.ROOT, "%nDurable ÷ non-durable non-transacted MDB in %s (the message store's"
                        + " cost): %.2f×.%n", broker, durable.value() / plainHere.value()));
            }
        }
        Scenarios.Result synced = find(results, "mdb durable", "wildfly-sync", 1, 64);
        Scenarios.Result unsynced = find(results, "mdb durable", "wildfly", 1, 64);
        if (synced != null && unsynced != null && unsynced.value() > 0) {
            md.append(String.format(Locale.ROOT, "%nDurable MDB with syncWrites=true ÷ syncWrites=false: %.2f×.%n",
                    synced.value() / unsynced.value()));
        }
        return md.toString();
    }

    private static Scenarios.Result find(List<Scenarios.Result> results, String scenario, String broker, int qos, int bytes) {
        return results.stream().filter(r -> r.scenario().equals(scenario) && r.broker().equals(broker) && r.qos() == qos
                && r.payloadBytes() == bytes).findFirst().orElse(null);
    }
}
