package io.mqttra.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * ActiveMQ Artemis embedded with its MQTT acceptor(s), persistence and security off, for the
 * comparison, and the JMS consumers of the {@code mdb} scenario ({@link ArtemisJmsConsumers}).
 * Usage: {@code ArtemisMain port address...}.
 */
public final class ArtemisMain {

    private ArtemisMain() {
    }

    public static void main(String[] args) throws Exception {
        // Artemis's audit loggers are off in its distribution; slf4j-simple would log every connection
        // and acknowledgement at INFO (tens of megabytes per run), which is not Artemis's speed
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "warn");
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("artemis-bench");
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setJMXManagementEnabled(false);
        for (int i = 1; i < args.length; i++) {
            config.addAcceptorConfiguration("mqtt-" + i, "tcp://" + args[i] + ":" + port + "?protocols=MQTT");
        }
        // the mdb scenario's JMS consumers connect in-VM, as an application in the broker's JVM would
        config.addAcceptorConfiguration("invm", "vm://0");
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        ArtemisJmsConsumers.serve(8080);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
