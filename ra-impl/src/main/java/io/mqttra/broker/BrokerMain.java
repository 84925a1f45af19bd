package io.mqttra.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * Runs the engine alone in a plain JVM, for development, conformance suites, benchmarks and gateways
 * without an application server: {@code java -jar mqtt-ra-impl-VERSION-engine.jar [options]}; {@code --help}
 * lists the options. Sessions, retained messages and subscriptions are in memory only.
 */
public final class BrokerMain {

    /** One-line log records; an operator's own {@code -Djava.util.logging.config.file} takes precedence. */
    private static final String LOG_FORMAT = "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n";

    /** {@code limit}: the {@link BrokerConfig} component it sets, whose name a refusal of the value starts with. */
    private record Option(String argument, String limit, String help, BiConsumer<Settings, String> apply) {
    }

    /** What the command line sets; the listeners are resolved last, as {@code --listeners} overrides the others. */
    private static final class Settings {
        final BrokerConfig.Builder config = BrokerConfig.builder();
        String bind = BrokerConfig.DEFAULT_BIND_ADDRESS;
        int port = BrokerConfig.DEFAULT_PORT;
        String listeners;
    }

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        option("--listeners", "LIST", null, "comma-separated tcp://host:port and ws://host:port/path listeners "
                + "(default tcp://" + BrokerConfig.DEFAULT_BIND_ADDRESS + ":" + BrokerConfig.DEFAULT_PORT + ")",
                (s, v) -> s.listeners = v);
        option("--port", "PORT", "port", "port of the single TCP listener when --listeners is absent (default "
                + BrokerConfig.DEFAULT_PORT + ")", (s, v) -> s.port = Integer.parseInt(v));
        option("--bind", "ADDRESS", null,
                "address of that listener (default " + BrokerConfig.DEFAULT_BIND_ADDRESS + ")",
                (s, v) -> s.bind = v);
        option("--max-packet-size", "BYTES", "maxPacketSize",
                "largest packet accepted (default " + BrokerConfig.DEFAULT_MAX_PACKET_SIZE + ")",
                (s, v) -> s.config.maxPacketSize(Integer.parseInt(v)));
        option("--max-inflight", "N", "maxInflightPerClient",
                "unacknowledged QoS 1/2 messages per client (default " + BrokerConfig.DEFAULT_MAX_INFLIGHT + ")",
                (s, v) -> s.config.maxInflightPerClient(Integer.parseInt(v)));
        option("--max-queued", "N", "maxQueuedPerClient",
                "QoS 1/2 messages queued per client (default " + BrokerConfig.DEFAULT_MAX_QUEUED + ")",
                (s, v) -> s.config.maxQueuedPerClient(Integer.parseInt(v)));
        option("--max-client-buffer", "BYTES", "maxClientBufferBytes",
                "QoS 0 bytes waiting for one client before more are dropped (default "
                + BrokerConfig.DEFAULT_MAX_CLIENT_BUFFER_BYTES + ")",
                (s, v) -> s.config.maxClientBufferBytes(Long.parseLong(v)));
        option("--max-connections", "N", "maxConnections",
                "open connections at most (default " + BrokerConfig.DEFAULT_MAX_CONNECTIONS + ")",
                (s, v) -> s.config.maxConnections(Integer.parseInt(v)));
        option("--io-threads", "N", "ioThreads", "Netty I/O threads, 0 for one per processor (default 0)",
                (s, v) -> s.config.ioThreads(Integer.parseInt(v)));
        option("--sys-interval", "SECONDS", "sysIntervalSeconds", "how often $SYS is published, 0 for never (default "
                + BrokerConfig.DEFAULT_SYS_INTERVAL + ")", (s, v) -> s.config.sysIntervalSeconds(Integer.parseInt(v)));
    }

    private BrokerMain() {
    }

    private static void option(String name, String argument, String limit, String help,
                               BiConsumer<Settings, String> apply) {
        OPTIONS.put(name, new Option(argument, limit, help, apply));
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        Settings settings = new Settings();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                System.out.print(usage());
                return;
            }
            if (name.equals("--version")) {
                System.out.println("MQTT-RA engine " + MqttBroker.version());
                return;
            }
            Option option = OPTIONS.get(name);
            if (option == null) {
                fail("unknown option " + name);
            } else if (i + 1 >= args.length) {
                fail("missing " + option.argument() + " after " + name);
            }
            String value = args[++i];
            try {
                option.apply().accept(settings, value);
            } catch (NumberFormatException e) {
                fail(name + " needs a number, not '" + value + "'");
            }
        }
        MqttBroker broker;
        try {
            if (settings.listeners != null) {
                settings.config.listeners(ListenerConfig.parseList(settings.listeners));
            } else {
                settings.config.tcp(settings.bind, settings.port);
            }
            broker = new MqttBroker(settings.config.build());
        } catch (IllegalArgumentException e) {
            fail(withOption(e.getMessage()));
            return;
        }
        try {
            broker.start();
        } catch (BrokerStartException e) {
            fail(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "mqtt-ra-shutdown"));
        stopped.await();
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar mqtt-ra-impl-VERSION-engine.jar [options]\n"
                + "MQTT-RA's broker engine alone: MQTT 3.1, 3.1.1 and 5.0, sessions and retained messages in memory.\n");
        OPTIONS.forEach((name, o) -> text.append(String.format("  %-28s %s%n", name + " " + o.argument(), o.help())));
        text.append(String.format("  %-28s %s%n", "--version", "prints the version"));
        text.append(String.format("  %-28s %s%n", "--help", "prints this text"));
        return text.toString();
    }

    /** Names the command-line option behind a refused limit, e.g. "--max-inflight: maxInflightPerClient must be ...". */
    private static String withOption(String problem) {
        for (Map.Entry<String, Option> o : OPTIONS.entrySet()) {
            String limit = o.getValue().limit();
            if (limit != null && problem.startsWith(limit + " ")) {
                return o.getKey() + ": " + problem;
            }
        }
        return problem;
    }

    private static void fail(String problem) {
        System.err.println("mqtt-ra engine: " + problem);
        System.err.print(usage());
        System.exit(2);
    }
}
