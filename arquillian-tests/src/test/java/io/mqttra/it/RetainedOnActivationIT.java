package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mqttra.it.retained.RetainedEchoMdb;
import java.nio.charset.StandardCharsets;
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

/** A bean with deliverRetained=true, deployed after a retained message was published, receives it first. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RetainedOnActivationIT {

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", managed = false, testable = false)
    static Archive<?> app() {
        return Deployments.jmsWar("retained-app.war").addClass(RetainedEchoMdb.class);
    }

    @Test
    void retainedMessageIsDeliveredWhenTheBeanIsActivated() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "state-publisher", new MemoryPersistence());
        client.connect(TestUsers.device());
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        client.subscribe("it/state-seen", 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        client.publish("it/state/door", "open".getBytes(StandardCharsets.UTF_8), 1, true);
        deployer.deploy("app");
        try {
            assertEquals("it/state/door open retained=true", seen.poll(15, TimeUnit.SECONDS));
            client.publish("it/state/door", "closed".getBytes(StandardCharsets.UTF_8), 1, true);
            assertEquals("it/state/door closed retained=false", seen.poll(15, TimeUnit.SECONDS), "live afterwards");
        } finally {
            deployer.undeploy("app");
            client.publish("it/state/door", new byte[0], 1, true);
            client.disconnect();
            client.close();
        }
    }
}
