package io.mqttra.broker;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the engine alone in a plain JVM, for development, benchmarks and conformance suites:
 * {@code java io.mqttra.broker.BrokerMain [--port 1883] [--bind 0.0.0.0] [--listeners tcp://...,ws://...]
 * [--max-packet-size BYTES] [--max-queued MESSAGES] [--max-client-buffer BYTES]}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder();
        String bind = BrokerConfig.DEFAULT_BIND_ADDRESS;
        int port = BrokerConfig.DEFAULT_PORT;
        String listeners = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + option);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--bind" -> bind = value;
                    case "--listeners" -> listeners = value;
                    case "--max-packet-size" -> config.maxPacketSize(Integer.parseInt(value));
                    case "--max-queued" -> config.maxQueuedPerClient(Integer.parseInt(value));
                    case "--max-client-buffer" -> config.maxClientBufferBytes(Long.parseLong(value));
                    case "--max-connections" -> config.maxConnections(Integer.parseInt(value));
                    case "--io-threads" -> config.ioThreads(Integer.parseInt(value));
                    case "--sys-interval" -> config.sysIntervalSeconds(Integer.parseInt(value));
                    default -> usage("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                usage(option + " needs a number, not '" + value + "'");
            }
        }
        MqttBroker broker;
        try {
            if (listeners != null) {
                config.listeners(ListenerConfig.parseList(listeners));
            } else {
                config.tcp(bind, port);
            }
            broker = new MqttBroker(config.build());
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "mqtt-ra-shutdown"));
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("mqtt-ra engine: " + problem);
        System.err.println("usage: BrokerMain [--port 1883] [--bind 0.0.0.0] [--listeners tcp://0.0.0.0:1883,ws://0.0.0.0:8083/mqtt]"
                + " [--max-packet-size BYTES] [--max-queued MESSAGES] [--max-client-buffer BYTES] [--max-connections N] [--io-threads N] [--sys-interval SECONDS]");
        System.exit(2);
    }
}
