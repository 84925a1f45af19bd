package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mqttra.it.killnine.LedgerMdb;
import io.mqttra.it.killnine.LedgerTables;
import io.mqttra.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two WildFly servers as one broker (issue #17): each runs mqtt-ra.rar with an embedded Hazelcast member,
 * and the two members form one cluster on loopback. Server A is the suite's WildFly installation on a base
 * directory of its own (ports as usual, MQTT 1883, Hazelcast 5701); server B is the same installation on
 * another base directory with port offset 100 (HTTP 8180, management 10090), MQTT on 1983 and Hazelcast
 * on 5702. The cluster comes from system properties only ({@code -Dmqtt.cluster=embedded},
 * {@code -Dmqtt.cluster.members=...}, which the RAR's {@code ra.xml} reads), so the RAR is the one users get.
 * <p>
 * A real MQTT client subscribed on B receives what another publishes on A at QoS 1; a durable,
 * container-transacted bean with a share group, deployed to both servers, writes each message published
 * to either server once across the two servers' databases; a redeploy of the adapter on B frees its
 * Hazelcast port and joins again; with B stopped, A alone goes on delivering.
 * <p>
 * WildFly only, in its own failsafe execution ({@code -Darquillian.launch=cluster}) after the suite's
 * server has stopped: both containers are in manual mode.
 * <p>WildFly only, as its name says: two WildFly servers of their own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIf("inItsOwnExecution")
class WildFlyClusterIT {

    static final String GROUP = "cluster";
    static final String A = "cluster-a";
    static final String B = "cluster-b";
    private static final int MQTT_A = 1883;
    private static final int MQTT_B = 1983;
    private static final int HAZELCAST_B = 5702;
    private static final URI LEDGER_A = URI.create("http://127.0.0.1:8080/cluster-ledger/ledger");
    private static final URI LEDGER_B = URI.create("http://127.0.0.1:8180/cluster-ledger/ledger");
    /** Messages published to each server for the ledger. */
    private static final int PER_SERVER = 100;

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    /** The servers still running, whose deployments the tear-down removes. */
    private final List<String> running = new ArrayList<>();

    @Deployment(name = "rar-a", managed = false, testable = false)
    @TargetsContainer(A)
    static Archive<?> rarA() {
        return Deployments.rar();
    }

    @Deployment(name = "rar-b", managed = false, testable = false)
    @TargetsContainer(B)
    static Archive<?> rarB() {
        return Deployments.rar();
    }

    @Deployment(name = "ledger-a", managed = false, testable = false)
    @TargetsContainer(A)
    static Archive<?> ledgerA() {
        return ledger();
    }

    @Deployment(name = "ledger-b", managed = false, testable = false)
    @TargetsContainer(B)
    static Archive<?> ledgerB() {
        return ledger();
    }

    /** KillNineIT's ledger bean and tables (an H2 file in each server's data directory), shared by the cluster. */
    private static Archive<?> ledger() {
        return Deployments.jmsWar("cluster-ledger.war").addClasses(LedgerMdb.class, LedgerTables.class)
                .addAsWebInfResource("killnine/ledger-ds.xml", "ledger-ds.xml")
                .addAsWebInfResource("cluster/ledger-ejb-jar.xml", "ejb-jar.xml");
    }

    /** Only in the pom's cluster execution, and there not when {@code -Dit.test} names other tests only. */
    static boolean inItsOwnExecution() {
        return ServerBases.inItsOwnExecution(GROUP, "cluster.it.test", "WildFlyClusterIT");
    }

    @Test
    void twoServersActAsOneBroker() throws Exception {
        ServerBases.prepare(Path.of(System.getProperty("cluster.a.base.dir")));
        ServerBases.prepare(Path.of(System.getProperty("cluster.b.base.dir")));
        long began = System.nanoTime();
        controller.start(A);
        running.add(A);
        controller.start(B);
        running.add(B);
        try {
            deployer.deploy("rar-a");
            deployer.deploy("rar-b"); // joins A's member
            deployer.deploy("ledger-a");
            deployer.deploy("ledger-b");
            LedgerClient.createTables(LEDGER_A);
            LedgerClient.createTables(LEDGER_B);
            System.out.printf("WildFlyClusterIT: both servers up with the adapter and the bean in %d ms; B's log: %s%n",
                    (System.nanoTime() - began) / 1_000_000, clusterLogLines(B));

            aSubscriberOnBReceivesWhatIsPublishedOnA("it/cluster/route");
            eachMessageToEitherServerIsWrittenOnceAcrossTheTwo();

            // a redeploy of the adapter on B: its member leaves (the port is free again) and a new one joins
            deployer.undeploy("ledger-b");
            deployer.undeploy("rar-b");
            Await.until(Duration.ofSeconds(30), "B's Hazelcast port " + HAZELCAST_B + " to be free after the undeploy",
                    () -> isFree(HAZELCAST_B));
            deployer.deploy("rar-b");
            deployer.deploy("ledger-b");
            aSubscriberOnBReceivesWhatIsPublishedOnA("it/cluster/redeployed");

            // B stops: A delivers alone, every message once
            int writtenOnB = LedgerClient.rows(LEDGER_B).size();
            controller.stop(B);
            running.remove(B);
            List<String> alone = publish(MQTT_A, "it/cluster/ledger/alone", "alone-", PER_SERVER / 2);
            Map<String, Integer> ledger = Await.until(Duration.ofSeconds(60), "A's bean to write what was published with B stopped",
                    () -> countByPayload(LedgerClient.rows(LEDGER_A)), l -> l.keySet().containsAll(alone));
            assertOnce(ledger, alone);
            System.out.printf("WildFlyClusterIT: with B stopped (it had written %d rows), A wrote all %d messages published to it%n",
                    writtenOnB, alone.size());
            System.out.printf("WildFlyClusterIT: %d s in all%n", (System.nanoTime() - began) / 1_000_000_000);
        } finally {
            tearDown();
        }
    }

    private void aSubscriberOnBReceivesWhatIsPublishedOnA(String topic) throws Exception {
        Mqtt5BlockingClient subscriber = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5()
                .identifier("cluster-subscriber").serverHost("127.0.0.1").serverPort(MQTT_B)
                .simpleAuth().username(TestUsers.SENSOR).password(TestUsers.SENSOR_PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        subscriber.connect();
        try (Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            // SUBACK comes once every server routes the filter's messages to B
            subscriber.subscribeWith().topicFilter(topic + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<String> sent = publish(MQTT_A, topic + "/x", "routed-", 20);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Mqtt5Publish p = received.receive(10, TimeUnit.SECONDS).orElse(null);
                assertNotNull(p, "message " + i + " published on A did not reach the subscriber on B; it got " + got);
                assertEquals(MqttQos.AT_LEAST_ONCE, p.getQos());
                got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(sent, got, "what the subscriber on B received from A, in order");
            System.out.println("WildFlyClusterIT: a subscriber on B received the " + got.size()
                    + " QoS 1 messages published on A to " + topic + ", in order");
        } finally {
            subscriber.disconnect();
        }
    }

    private void eachMessageToEitherServerIsWrittenOnceAcrossTheTwo() throws Exception {
        List<String> sent = new ArrayList<>(publish(MQTT_A, "it/cluster/ledger/a", "a-", PER_SERVER));
        sent.addAll(publish(MQTT_B, "it/cluster/ledger/b", "b-", PER_SERVER));
        Await.until(Duration.ofSeconds(60), "both beans together to write all " + sent.size() + " messages",
                this::bothLedgers, l -> l.keySet().containsAll(sent));
        // a duplicate could still be on its way in the other server's bean: wait for its deliveries to settle
        Thread.sleep(1000);
        Map<String, Integer> onA = countByPayload(LedgerClient.rows(LEDGER_A));
        Map<String, Integer> onB = countByPayload(LedgerClient.rows(LEDGER_B));
        assertOnce(bothLedgers(), sent);
        System.out.printf("WildFlyClusterIT: %d QoS 1 messages published, half to each server, written once each: %d by A's bean,"
                + " %d by B's (of those published to A: %d on A, %d on B)%n", sent.size(), total(onA), total(onB),
                count(onA, "a-"), count(onB, "a-"));
        assertTrue(total(onA) > 0 && total(onB) > 0, "the share group used both servers' beans: A " + total(onA) + ", B " + total(onB));
    }

    private static List<String> publish(int port, String topic, String prefix, int count) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "cluster-publisher-" + port, new MemoryPersistence());
        client.connect(TestUsers.device());
        List<String> sent = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String payload = prefix + i;
                client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false); // returns on PUBACK
                sent.add(payload);
            }
        } finally {
            client.disconnect();
            client.close();
        }
        return sent;
    }

    private Map<String, Integer> bothLedgers() throws Exception {
        Map<String, Integer> both = countByPayload(LedgerClient.rows(LEDGER_A));
        countByPayload(LedgerClient.rows(LEDGER_B)).forEach((payload, n) -> both.merge(payload, n, Integer::sum));
        return both;
    }

    private static void assertOnce(Map<String, Integer> ledger, List<String> sent) {
        List<String> problems = new ArrayList<>();
        ledger.forEach((payload, n) -> {
            if (n != 1) {
                problems.add(payload + " written " + n + " times");
            }
        });
        sent.stream().filter(p -> !ledger.containsKey(p)).forEach(p -> problems.add(p + " acknowledged but not written"));
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())), problems.size() + " problem(s)");
    }

    /** Payload to how many LEDGER rows hold it (LedgerTables: {@code L <id> <payload> <redelivered> <count>}). */
    private static Map<String, Integer> countByPayload(List<String> rows) {
        Map<String, Integer> counts = new HashMap<>();
        rows.stream().filter(r -> r.startsWith("L ")).forEach(r -> counts.merge(r.split(" ")[2], 1, Integer::sum));
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static long count(Map<String, Integer> counts, String prefix) {
        return counts.keySet().stream().filter(p -> p.startsWith(prefix)).count();
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the adapter logged about the cluster on {@code server}: its mode and the members it sees. */
    private static List<String> clusterLogLines(String server) throws IOException {
        Path log = Path.of(System.getProperty(server.equals(A) ? "cluster.a.base.dir" : "cluster.b.base.dir"), "log", "server.log");
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("MQTT-RA cluster:")).map(l -> l.substring(l.indexOf("MQTT-RA cluster:"))).toList();
        }
    }

    private void tearDown() {
        for (String name : List.of("ledger-a", "ledger-b", "rar-a", "rar-b")) {
            if (running.contains(name.endsWith("-a") ? A : B)) {
                try {
                    deployer.undeploy(name);
                } catch (RuntimeException e) {
                    System.out.println("WildFlyClusterIT: could not undeploy " + name + ": " + e);
                }
            }
        }
        for (String server : List.copyOf(running)) {
            try {
                controller.stop(server);
            } catch (RuntimeException e) {
                System.out.println("WildFlyClusterIT: could not stop " + server + ": " + e);
            }
        }
    }
}
