package io.mqttra.engine;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.ClusterBus;
import io.mqttra.broker.MessageStore;
import io.mqttra.cluster.ClusterSettings;
import io.mqttra.cluster.HazelcastCluster;
import io.mqttra.store.MvMessageStore;
import io.mqttra.broker.BrokerStartException;
import io.mqttra.broker.ListenerConfig;
import io.mqttra.broker.MqttBroker;
import io.mqttra.security.AccessRules;
import io.mqttra.security.AuthenticationMode;
import io.mqttra.security.BlockingLoginExecutor;
import io.mqttra.security.ConfiguredSecurity;
import io.mqttra.security.JaasAuthenticator;
import io.mqttra.security.PasswordFileAuthenticator;
import io.mqttra.security.RuleAuthorizer;
import java.io.IOException;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * Runs the engine alone in a plain JVM, for development, conformance suites, benchmarks and gateways
 * without an application server: {@code java -jar mqtt-ra-impl-VERSION-engine.jar [options]}; {@code --help}
 * lists the options. Sessions, retained messages and subscriptions are in memory only. Clients log in
 * with a Mosquitto password file or a JAAS configuration; anonymous access only when asked for.
 */
public final class EngineMain {

    /** Threads that check passwords (PBKDF2) or run JAAS login modules, away from the event loops. */
    private static final int LOGIN_THREADS = 2;

    /** One-line log records; an operator's own {@code -Djava.util.logging.config.file} takes precedence. */
    private static final String LOG_FORMAT = "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n";

    /** {@code limit}: the {@link BrokerConfig} component it sets, whose name a refusal of the value starts with. */
    private record Option(String argument, String limit, String help, BiConsumer<Settings, String> apply) {
    }

    /** What the command line sets; the listeners are resolved last, as {@code --listeners} overrides the others. */
    private static final class Settings {
        final BrokerConfig.Builder config = BrokerConfig.builder().warmUpConnections(BrokerConfig.DEFAULT_WARM_UP_CONNECTIONS);
        String bind = BrokerConfig.DEFAULT_BIND_ADDRESS;
        int port = BrokerConfig.DEFAULT_PORT;
        String listeners;
        Path passwordFile;
        String jaasConfiguration;
        boolean allowAnonymous;
        Path aclFile;
        String sysRole = "mqtt-admin";
        String cluster = ClusterSettings.NONE;
        String clusterName = ClusterSettings.DEFAULT_NAME;
        String clusterMembers = "";
        String clusterHost = ClusterSettings.DEFAULT_HOST;
        int clusterPort = ClusterSettings.DEFAULT_PORT;
        int clusterBackups = ClusterSettings.DEFAULT_BACKUP_COUNT;
        Path dataDirectory;
    }

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();
    /** Options without a value. */
    private static final Map<String, Option> FLAGS = new LinkedHashMap<>();

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
        option("--max-connection-rate", "N", "maxConnectionsPerSecondPerAddress",
                "new connections per second from one IP address, 0 for no limit (default "
                + BrokerConfig.DEFAULT_MAX_CONNECTION_RATE + ")",
                (s, v) -> s.config.maxConnectionsPerSecondPerAddress(Integer.parseInt(v)));
        option("--max-client-sessions", "N", "maxClientSessions",
                "sessions at most, connected or not (default " + BrokerConfig.DEFAULT_MAX_CLIENT_SESSIONS + ")",
                (s, v) -> s.config.maxClientSessions(Integer.parseInt(v)));
        option("--mqtt3-receive-maximum", "N", "mqtt3ReceiveMaximum",
                "QoS 2 messages an MQTT 3.x client may leave without PUBREL (default "
                + BrokerConfig.DEFAULT_MQTT3_RECEIVE_MAXIMUM + ")",
                (s, v) -> s.config.mqtt3ReceiveMaximum(Integer.parseInt(v)));
        option("--max-tracked-topics", "N", "maxTrackedTopics",
                "topics whose message count and latest payload are kept, 0 for none (default "
                + BrokerConfig.DEFAULT_MAX_TRACKED_TOPICS + ")", (s, v) -> s.config.maxTrackedTopics(Integer.parseInt(v)));
        option("--warm-up", "N", "warmUpConnections", "clients run through a throwaway broker before the listeners open, "
                + "so that the first devices meet compiled code; 0 for none (default " + BrokerConfig.DEFAULT_WARM_UP_CONNECTIONS + ")",
                (s, v) -> s.config.warmUpConnections(Integer.parseInt(v)));
        option("--io-threads", "N", "ioThreads", "Netty I/O threads, 0 for one per processor (default 0)",
                (s, v) -> s.config.ioThreads(Integer.parseInt(v)));
        option("--sys-interval", "SECONDS", "sysIntervalSeconds", "how often $SYS is published, 0 for never (default "
                + BrokerConfig.DEFAULT_SYS_INTERVAL + ")", (s, v) -> s.config.sysIntervalSeconds(Integer.parseInt(v)));
        option("--password-file", "FILE", null, "users and password hashes as mosquitto_passwd writes them",
                (s, v) -> s.passwordFile = Path.of(v));
        option("--jaas-config", "NAME", null, "a JAAS login configuration (java.security.auth.login.config) that checks logins",
                (s, v) -> s.jaasConfiguration = v);
        option("--acl-file", "FILE", null, "topic permissions, MQTT-RA rules or a Mosquitto acl_file (default: all but $SYS)",
                (s, v) -> s.aclFile = Path.of(v));
        option("--sys-role", "ROLE", null, "the role that may subscribe to $SYS (default mqtt-admin)", (s, v) -> s.sysRole = v);
        option("--login-failure-delay", "MILLIS", "loginFailureDelayMillis", "wait before a refused password is answered, "
                + "doubling per failure from one address (default " + BrokerConfig.DEFAULT_LOGIN_FAILURE_DELAY_MILLIS + ")",
                (s, v) -> s.config.loginFailureDelayMillis(Long.parseLong(v)));
        option("--cluster", "MODE", null, "none (default), embedded (a Hazelcast member in this JVM) or client "
                + "(of an external Hazelcast cluster)", (s, v) -> s.cluster = v);
        option("--cluster-name", "NAME", null, "the Hazelcast cluster name (default mqtt-ra)", (s, v) -> s.clusterName = v);
        option("--cluster-members", "LIST", null, "comma-separated host:port of the other members (embedded), or of the "
                + "external cluster (client)", (s, v) -> s.clusterMembers = v);
        option("--cluster-host", "ADDRESS", null, "the address the embedded member binds (default 127.0.0.1)",
                (s, v) -> s.clusterHost = v);
        option("--cluster-port", "PORT", null, "the embedded member's port, the next ones when taken (default 5701)",
                (s, v) -> s.clusterPort = Integer.parseInt(v));
        option("--cluster-backups", "N", null, "synchronous backups of the grid's data (default 1)",
                (s, v) -> s.clusterBackups = Integer.parseInt(v));
        option("--data-directory", "DIR", null, "with --cluster: persistent sessions and retained messages are also kept "
                + "on disk there, and come back after a restart (default: memory and the grid only)", (s, v) -> s.dataDirectory = Path.of(v));
        FLAGS.put("--allow-anonymous", new Option("", null, "let clients in without credentials (a warning at start)",
                (s, v) -> s.allowAnonymous = true));
    }

    private EngineMain() {
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
            Option flag = FLAGS.get(name);
            if (flag != null) {
                flag.apply().accept(settings, null);
                continue;
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
        MessageStore store;
        BlockingLoginExecutor logins = new BlockingLoginExecutor(LOGIN_THREADS);
        try {
            if (settings.listeners != null) {
                settings.config.listeners(ListenerConfig.parseList(settings.listeners));
            } else {
                settings.config.tcp(settings.bind, settings.port);
            }
            BrokerConfig config = settings.config.build();
            ClusterBus cluster = cluster(settings);
            store = store(settings, cluster);
            broker = new MqttBroker(config, security(settings, config, logins), cluster);
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
            if (store != null) {
                store.close();
            }
            logins.close();
            stopped.countDown();
        }, "mqtt-ra-shutdown"));
        stopped.await();
    }

    /** The store behind the cluster's sessions and retained messages, with {@code --data-directory}. */
    private static MessageStore store(Settings s, ClusterBus cluster) {
        if (s.dataDirectory == null) {
            return null;
        }
        if (!cluster.isClustered()) {
            throw new IllegalArgumentException("--data-directory: needs --cluster embedded or client (sessions are kept through the grid)");
        }
        try {
            MessageStore store = MvMessageStore.open(s.dataDirectory);
            cluster.keepIn(store);
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("--data-directory: " + e.getMessage(), e);
        }
    }

    /** Hazelcast's classes are loaded only when a cluster is asked for. */
    private static ClusterBus cluster(Settings s) {
        ClusterSettings cluster = ClusterSettings.parse(s.cluster, s.clusterName, s.clusterMembers, s.clusterHost,
                s.clusterPort, s.clusterBackups);
        return cluster == null ? ClusterBus.NONE : new HazelcastCluster(cluster);
    }

    /**
     * The listeners' authentication: the password file or the JAAS configuration when given (in that
     * order), anonymous only with {@code --allow-anonymous}; a listener's {@code ?auth=} picks another.
     */
    private static ConfiguredSecurity security(Settings s, BrokerConfig config, BlockingLoginExecutor logins) {
        AccessRules rules = AccessRules.EMPTY;
        if (s.aclFile != null) {
            rules = AccessRules.read(s.aclFile);
        }
        AuthenticationMode mode = s.passwordFile != null ? AuthenticationMode.PASSWORD_FILE
                : s.jaasConfiguration != null ? AuthenticationMode.JAAS
                : s.allowAnonymous ? AuthenticationMode.ANONYMOUS : null;
        if (mode == null) {
            throw new IllegalArgumentException("no way to check logins: give --password-file FILE, --jaas-config NAME,"
                    + " or --allow-anonymous to let anyone in");
        }
        ConfiguredSecurity security = new ConfiguredSecurity(mode, new RuleAuthorizer(rules, s.sysRole, name -> false),
                AuthenticationMode.PASSWORD_FILE, AuthenticationMode.JAAS, AuthenticationMode.ANONYMOUS);
        if (s.passwordFile != null) {
            try {
                security.with(AuthenticationMode.PASSWORD_FILE, new PasswordFileAuthenticator(s.passwordFile, logins));
            } catch (IOException e) {
                throw new IllegalArgumentException("--password-file: cannot read " + s.passwordFile + ": " + e.getMessage(), e);
            }
        }
        if (s.jaasConfiguration != null) {
            security.with(AuthenticationMode.JAAS, new JaasAuthenticator(s.jaasConfiguration, logins));
        }
        if (!s.allowAnonymous) {
            // ANONYMOUS is there by default; only the flag lets a listener use it
            security.without(AuthenticationMode.ANONYMOUS);
        }
        security.check(config.listeners(), false);
        return security;
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar mqtt-ra-impl-VERSION-engine.jar [options]\n"
                + "MQTT-RA's broker engine alone: MQTT 3.1, 3.1.1 and 5.0, sessions and retained messages in memory.\n");
        OPTIONS.forEach((name, o) -> text.append(String.format("  %-28s %s%n", name + " " + o.argument(), o.help())));
        FLAGS.forEach((name, o) -> text.append(String.format("  %-28s %s%n", name, o.help())));
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
