package io.mqttra.broker;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the engine alone in a plain JVM, for development, benchmarks and conformance suites:
 * {@code java io.mqttra.broker.BrokerMain [--port 1883] [--bind 0.0.0.0] [--max-packet-size BYTES]}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + option);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--port" -> config.port(Integer.parseInt(value));
                    case "--bind" -> config.bindAddress(value);
                    case "--max-packet-size" -> config.maxPacketSize(Integer.parseInt(value));
                    default -> usage("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                usage(option + " needs a number, not '" + value + "'");
            }
        }
        MqttBroker broker;
        try {
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
        System.err.println("usage: BrokerMain [--port 1883] [--bind 0.0.0.0] [--max-packet-size BYTES]");
        System.exit(2);
    }
}
