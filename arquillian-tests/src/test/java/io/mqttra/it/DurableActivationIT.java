package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mqttra.it.durable.DurableEchoMdb;
import io.mqttra.it.durable.NonDurableEchoMdb;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A durable activation gets what was published while its application was undeployed; a non-durable one does not. */
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
        client.connect();
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
            assertNull(seen.poll(1, TimeUnit.SECONDS));
        } finally {
            deployer.undeploy("app");
            client.disconnect();
            client.close();
        }
    }
}
