package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.it.killnine.LedgerMdb;
import io.mqttra.it.killnine.LedgerTables;
import io.mqttra.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
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
 * Nothing acknowledged is lost when the server process dies with SIGKILL (issue #16). Publishers
 * (HiveMQ and Paho, MQTT 3.1.1 and 5) stream QoS 1 and 2 messages to a durable, container-transacted
 * bean that writes each into an H2 database in a file. Mid-stream the test kills WildFly with SIGKILL and
 * starts it again; while the bean works through what the store kept, it kills it once more; then it
 * compares the database with what the publishers were told.
 * <p>
 * What it proves: every QoS 1 message that got PUBACK and every QoS 2 message whose flow completed
 * (PUBCOMP) is in the database, whatever the publisher. For publishers with clean sessions (and those
 * that drop their session state when CONNACK says session present = 0, as MQTT 5 requires
 * [MQTT-3.2.2-5]), every message is there at most once, acknowledged or not: the adapter brings back
 * what a bean may have been processing with {@code JMSRedelivered} and its {@code JMSMessageID}, and the
 * bean skips those it has written. A publish whose acknowledgement the crash took is failed to the
 * application, and may be there or not.
 * <p>
 * Not proven, and shown instead: a publisher with a persistent session (Paho, cleanSession=0) resends
 * after reconnecting the PUBLISH packets it had no PUBREC/PUBACK for, whatever CONNACK says. The broker's
 * QoS 2 receipts and MQTT sessions are in memory, so it takes such a resend as a new message, and a QoS 2
 * message it had already stored is then written twice, under two message ids. The test prints these.
 * <p>
 * Runs alone, in a failsafe execution of its own with {@code -Darquillian.launch=kill-nine}: its
 * container is in manual mode, on a server base directory of its own (target/kill-nine-server) with the
 * configured WildFly's configuration, so the rest of the suite and its server are untouched. Arquillian
 * restarts a killed server: its stop finds the process gone and only forgets it.
 * <p>WildFly only: it runs a WildFly server base directory of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIf("inItsOwnExecution")
class KillNineIT {

    static final String CONTAINER = "kill-nine";
    /** Acknowledged messages, over all publishers, after which the server is killed. */
    private static final int KILL_AFTER = 1500;
    /** Messages per publisher at most: the kill comes long before. */
    private static final int LIMIT = 20_000;
    private static final URI LEDGER = URI.create("http://127.0.0.1:8080/kill-nine-ledger/ledger");

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "ledger", managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static Archive<?> ledger() {
        return Deployments.jmsWar("kill-nine-ledger.war").addClasses(LedgerMdb.class, LedgerTables.class)
                .addAsWebInfResource("killnine/ledger-ds.xml", "ledger-ds.xml");
    }

    /**
     * Only in the pom's kill-nine execution, and there not when {@code -Dit.test} names other tests only
     * (the execution runs this class whatever it.test says, since the others need the suite's server).
     */
    static boolean inItsOwnExecution() {
        return ServerBases.inItsOwnExecution(CONTAINER, "kill-nine.it.test", "KillNineIT");
    }

    @Test
    void nothingAcknowledgedIsLostWhenTheServerIsKilled() throws Exception {
        Path base = Path.of(System.getProperty("kill-nine.base.dir"));
        ServerBases.prepare(base);
        controller.start(CONTAINER);
        List<StreamingPublisher> publishers = List.of(
                StreamingPublisher.hiveMq("kill-hivemq5", "it/kill/hivemq5", TestUsers.DEVICE, TestUsers.DEVICE_PASSWORD, true),
                StreamingPublisher.hiveMq("kill-hivemq3", "it/kill/hivemq3", TestUsers.SENSOR, TestUsers.SENSOR_PASSWORD, false),
                StreamingPublisher.paho3("kill-paho3", "it/kill/paho3", TestUsers.DEVICE, TestUsers.DEVICE_PASSWORD, false),
                StreamingPublisher.paho5("kill-paho5", "it/kill/paho5", TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD),
                StreamingPublisher.paho3("kill-persistent-paho3", "it/kill/persistent-paho3", TestUsers.SENSOR,
                        TestUsers.SENSOR_PASSWORD, true));
        try {
            deployer.deploy("rar");
            deployer.deploy("ledger");
            LedgerClient.createTables(LEDGER);
            for (StreamingPublisher p : publishers) {
                p.connect();
            }
            publishers.forEach(p -> p.start(LIMIT));
            Await.until(Duration.ofSeconds(60), KILL_AFTER + " acknowledged messages",
                    () -> publishers.stream().mapToInt(p -> p.acknowledged.size()).sum(), n -> n >= KILL_AFTER);
            int writtenBeforeKill = ledgerRows().size();
            long killedAt = System.nanoTime();
            kill(base);
            for (StreamingPublisher p : publishers) {
                assertTrue(p.awaitEnd(Duration.ofSeconds(30)), p.name + " has not settled every publish after the kill");
                assertTrue(p.failed(), p.name + " never noticed the kill: it published all its " + LIMIT + " messages");
            }
            restart();
            long restartMillis = (System.nanoTime() - killedAt) / 1_000_000;

            // A second kill while the bean works through what the store kept. With nothing being published the
            // adapter writes its removals of settled messages every 200 ms, so the messages the bean committed
            // last come again after this crash, marked redelivered: the case its JMSMessageID check is for.
            int atRestart = ledgerRows().size();
            int acknowledgedNow = publishers.stream().mapToInt(p -> p.acknowledged.size()).sum();
            int progress = Math.max(0, Math.min(100, (acknowledgedNow - atRestart) / 2));
            int atSecondKill = awaitRows(atRestart + progress, Duration.ofSeconds(30));
            String secondKill;
            if (atSecondKill >= atRestart + progress) {
                kill(base);
                restart();
                secondKill = "second kill while the bean had written " + (atSecondKill - atRestart) + " of the rows kept through the first";
            } else { // the final checks tell why
                secondKill = "no second kill: the bean wrote " + (atSecondKill - atRestart) + " rows in 30 s after the restart";
            }

            for (StreamingPublisher p : publishers) {
                p.awaitResent(Duration.ofSeconds(30));
            }
            publishMarkers(publishers);
            List<String> rows = Await.until(Duration.ofSeconds(120), "every publisher's marker in the ledger", this::ledgerRows,
                    r -> publishers.stream().allMatch(p -> r.stream().anyMatch(row -> row.contains(" " + p.name + "-end "))));

            Ledger ledger = new Ledger(rows);
            System.out.printf("KillNineIT: first kill mid-stream, with %d rows in the ledger; restarted in %d ms; %s%n",
                    writtenBeforeKill, restartMillis, secondKill);
            for (StreamingPublisher p : publishers) {
                System.out.println("KillNineIT: " + ledger.report(p));
            }
            System.out.printf("KillNineIT: the bean saw %d redeliveries after the restarts, %d of them already in the ledger and "
                    + "skipped by their JMSMessageID%n", ledger.redelivered + ledger.skipped.size(), ledger.skipped.size());
            recoveryLogLines(base).forEach(l -> System.out.println("KillNineIT: server.log: " + l));

            List<String> problems = new ArrayList<>(ledger.problems);
            publishers.forEach(p -> problems.addAll(ledger.problems(p)));
            assertEquals(List.of(), problems.subList(0, Math.min(problems.size(), 20)), problems.size() + " problem(s)");
            assertTrue(writtenBeforeKill < publishers.stream().mapToInt(p -> p.acknowledged.size()).sum(),
                    "the first kill came with acknowledged messages not yet written by the bean");
        } finally {
            publishers.forEach(StreamingPublisher::close);
            tearDown();
        }
    }

    /** What the ledger holds, against what each publisher sent and was told. */
    private static final class Ledger {
        final Map<String, List<String>> idsByPayload = new HashMap<>();
        /** Payloads of the redeliveries the bean skipped, one per skip. */
        final List<String> skipped = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int redelivered;

        Ledger(List<String> rows) {
            List<String> skippedIds = new ArrayList<>();
            for (String row : rows) {
                String[] f = row.split(" ");
                if (f[0].equals("L")) {
                    idsByPayload.computeIfAbsent(f[2], k -> new ArrayList<>()).add(f[1]);
                    if (Boolean.parseBoolean(f[3])) {
                        redelivered++;
                        if (Integer.parseInt(f[4]) < 2) {
                            problems.add("redelivered with JMSXDeliveryCount " + f[4] + ": " + row);
                        }
                    }
                } else {
                    skipped.add(f[2]);
                    skippedIds.add(f[1]);
                }
            }
            Set<String> written = new HashSet<>();
            idsByPayload.values().forEach(written::addAll);
            skippedIds.stream().filter(id -> !written.contains(id))
                    .forEach(id -> problems.add("skipped as a redelivery of " + id + ", which is not in the ledger"));
        }

        /** Acknowledged: in the ledger. Every message at most once, but those a publisher resent after the crash. */
        List<String> problems(StreamingPublisher p) {
            List<String> found = new ArrayList<>();
            for (String payload : p.acknowledged) {
                if (!idsByPayload.containsKey(payload)) {
                    found.add("acknowledged to " + p.name + " but not in the ledger: " + payload);
                }
            }
            idsByPayload.forEach((payload, ids) -> {
                if (payload.startsWith(p.name + "-") && !payload.equals(p.name + "-end") && !p.sent.contains(payload)) {
                    found.add("in the ledger but never sent: " + payload);
                }
                if (p.sent.contains(payload) && ids.size() > 1 && !p.resendsAfterReconnecting) {
                    found.add(payload + " is in the ledger " + ids.size() + " times, under message ids " + ids);
                }
            });
            return found;
        }

        String report(StreamingPublisher p) {
            long acknowledgedQos2 = p.acknowledged.stream().filter(m -> m.endsWith("-q2")).count();
            long unacknowledgedWritten = p.sent.stream().filter(m -> !p.acknowledged.contains(m) && idsByPayload.containsKey(m)).count();
            List<String> twice = p.sent.stream().filter(m -> idsByPayload.getOrDefault(m, List.of()).size() > 1).sorted().toList();
            return String.format("%s sent %d, acknowledged %d (%d QoS 2); of the %d not acknowledged %d are in the ledger;"
                    + " in the ledger more than once: %s", p.name, p.sent.size(), p.acknowledged.size(), acknowledgedQos2,
                    p.sent.size() - p.acknowledged.size(), unacknowledgedWritten,
                    twice.isEmpty() ? "none" : twice.stream().map(m -> m + (p.acknowledged.contains(m) ? " (acknowledged)" : ""))
                            .toList());
        }
    }

    /** SIGKILL to the server process, then waits for it to be gone. */
    private static void kill(Path base) throws Exception {
        ProcessHandle server = serverProcess(base);
        server.destroyForcibly(); // SIGKILL on Linux
        server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Arquillian starts the server again, which deploys the adapter and the ledger again itself. */
    private void restart() {
        controller.stop(CONTAINER); // finds the process gone and forgets it
        controller.start(CONTAINER);
    }

    /** The WildFly JVM that Arquillian launched, a child of this one, told apart by its base directory. */
    private static ProcessHandle serverProcess(Path base) {
        List<ProcessHandle> servers = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("jboss.server.base.dir=" + base))
                .toList();
        assertEquals(1, servers.size(), "one WildFly process on " + base + ": " + servers);
        return servers.get(0);
    }

    /** Each publisher's marker, QoS 1, on its topic: the bean takes a topic's messages in order. */
    private static void publishMarkers(List<StreamingPublisher> publishers) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "kill-markers", new MemoryPersistence());
        MqttConnectOptions options = TestUsers.device();
        client.connect(options);
        for (StreamingPublisher p : publishers) {
            client.publish(p.topic, (p.name + "-end").getBytes(StandardCharsets.UTF_8), 1, false);
        }
        client.disconnect();
        client.close();
    }

    /** The ledger's row count once it reaches {@code rows}, or when {@code timeout} has passed. */
    private int awaitRows(int rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n;
        while ((n = ledgerRows().size()) < rows && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return n;
    }

    private List<String> ledgerRows() throws Exception {
        return LedgerClient.rows(LEDGER);
    }

    private static List<String> recoveryLogLines(Path base) throws IOException {
        Path log = base.resolve("log").resolve("server.log");
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("recovered") && l.contains("durable subscription")).toList();
        }
    }

    private void tearDown() {
        for (String name : List.of("ledger", "rar")) {
            try {
                deployer.undeploy(name);
            } catch (RuntimeException e) {
                System.out.println("KillNineIT: could not undeploy " + name + ": " + e);
            }
        }
        controller.stop(CONTAINER);
    }
}
