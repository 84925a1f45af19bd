package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.it.durable.DurableEchoMdb;
import io.mqttra.it.durable.NonDurableEchoMdb;
import io.mqttra.it.durable.SharedDurableAMdb;
import io.mqttra.it.durable.SharedDurableEcho;
import io.mqttra.it.durable.SharedDurableBMdb;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A durable activation gets what was published while its application was undeployed, also across a
 * server restart (reload); a non-durable one does not. A shared durable subscription splits its
 * messages between two beans and keeps them while both are away.
 * <p>WildFly only: it reloads the server through WildFly's management client.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DurableActivationIT {

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", managed = false, testable = false)
    static Archive<?> app() {
        return Deployments.jmsWar("durable-app.war").addClasses(DurableEchoMdb.class, NonDurableEchoMdb.class);
    }

    @Deployment(name = "shared", managed = false, testable = false)
    static Archive<?> shared() {
        return Deployments.jmsWar("shared-durable-app.war").addClasses(SharedDurableEcho.class, SharedDurableAMdb.class, SharedDurableBMdb.class);
    }

    @ArquillianResource
    private ManagementClient management;

    private static Set<String> take(BlockingQueue<String> seen, int n) throws InterruptedException {
        Set<String> got = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String s = seen.poll(15, TimeUnit.SECONDS);
            if (s == null) {
                break;
            }
            got.add(s);
        }
        return got;
    }

    @Test
    void messagesPublishedWhileUndeployedReachTheDurableBeanOnRedeploy() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "durable-test", new MemoryPersistence());
        client.connect(TestUsers.device());
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        client.subscribe("it/durable-seen", 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        try {
            deployer.deploy("app");
            client.publish("it/durable/a", "one".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals(Set.of("durable one", "nondurable one"), take(seen, 2));

            deployer.undeploy("app");
            client.publish("it/durable/a", "two".getBytes(StandardCharsets.UTF_8), 1, false);
            client.publish("it/durable/a", "three".getBytes(StandardCharsets.UTF_8), 1, false);

            deployer.deploy("app");
            assertEquals("durable two", seen.poll(15, TimeUnit.SECONDS), "kept while away, in order");
            assertEquals("durable three", seen.poll(15, TimeUnit.SECONDS));
            client.publish("it/durable/a", "four".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals(Set.of("durable four", "nondurable four"), take(seen, 2), "the non-durable bean missed two and three");
            client.publish("it/durable/a", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
            // each bean takes one message at a time in arrival order: anything more would come before its marker
            assertEquals(Set.of("durable marker", "nondurable marker"), take(seen, 2), "nothing else");
        } finally {
            deployer.undeploy("app");
            client.disconnect();
            client.close();
        }
    }

    /**
     * Messages published while the bean is undeployed stay in the durable subscription's store through a
     * server reload (every service, the adapter included, stops and starts again: its memory is gone).
     */
    @Test
    void keptMessagesSurviveAServerRestart() throws Exception {
        deployer.deploy("app");
        deployer.undeploy("app");
        MqttClient client = connect("durable-restart-pub");
        for (int i = 0; i < 50; i++) {
            client.publish("it/durable/r", ("r" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        client.disconnect();
        client.close();

        new ServerManagement(management.getControllerClient()).reload();

        MqttClient watcher = connect("durable-restart-watch");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        watcher.subscribe("it/durable-seen", 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        try {
            deployer.deploy("app");
            for (int i = 0; i < 50; i++) {
                assertEquals("durable r" + i, seen.poll(15, TimeUnit.SECONDS), "kept through the restart, in order");
            }
            watcher.publish("it/durable/r", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
            // each bean takes one message at a time in arrival order: anything more would come before its marker
            assertEquals(Set.of("durable marker", "nondurable marker"), take(seen, 2),
                    "nothing twice, and the non-durable bean had none");
        } finally {
            deployer.undeploy("app");
            watcher.disconnect();
            watcher.close();
        }
    }

    @Test
    void aSharedDurableSubscriptionSplitsMessagesAndKeepsThemWhileBothBeansAreAway() throws Exception {
        MqttClient client = connect("shared-durable-test");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        client.subscribe("it/durable-seen", 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        try {
            deployer.deploy("shared");
            for (int i = 0; i < 20; i++) {
                client.publish("it/shared-durable/x", ("s" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            Set<String> got = take(seen, 20);
            Set<String> payloads = new HashSet<>();
            got.forEach(g -> payloads.add(g.substring(2)));
            assertEquals(20, payloads.size(), "each message once: " + got);
            assertTrue(got.stream().anyMatch(g -> g.startsWith("A ")) && got.stream().anyMatch(g -> g.startsWith("B ")),
                    "both beans took a share: " + got);

            deployer.undeploy("shared");
            for (int i = 20; i < 30; i++) {
                client.publish("it/shared-durable/x", ("s" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            deployer.deploy("shared");
            Set<String> later = new HashSet<>();
            take(seen, 10).forEach(g -> later.add(g.substring(2)));
            Set<String> expected = new HashSet<>();
            for (int i = 20; i < 30; i++) {
                expected.add("s" + i);
            }
            assertEquals(expected, later, "kept while both beans were away");
            // the subscription hands its messages to the beans in turn, so two markers reach both; a bean handles
            // its messages in arrival order, so anything more would come before its marker
            client.publish("it/shared-durable/x", "marker-1".getBytes(StandardCharsets.UTF_8), 1, false);
            client.publish("it/shared-durable/x", "marker-2".getBytes(StandardCharsets.UTF_8), 1, false);
            Set<String> markers = take(seen, 2);
            assertEquals(Set.of("marker-1", "marker-2"), markers.stream().map(m -> m.substring(2)).collect(Collectors.toSet()),
                    "nothing more: " + markers);
            assertEquals(Set.of("A", "B"), markers.stream().map(m -> m.substring(0, 1)).collect(Collectors.toSet()),
                    "one marker for each bean: " + markers);
        } finally {
            deployer.undeploy("shared");
            client.disconnect();
            client.close();
        }
    }

    private static MqttClient connect(String clientId) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", clientId, new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
        options.setMaxInflight(100);
        client.connect(options);
        return client;
    }
}
