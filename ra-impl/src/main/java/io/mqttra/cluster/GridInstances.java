package io.mqttra.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Starts the Hazelcast instance {@link ClusterSettings} describe: an embedded member, or a client. */
final class GridInstances {

    /** Every node's inbox: {@code mqttra.inbox.<node id>}. */
    static final String INBOX_PREFIX = "mqttra.inbox.";
    /**
     * Slots kept per inbox, read or not (at most 16 KiB each but for a single larger message: about 256 MiB,
     * and as much again for the backup); a node further behind than that loses messages, and logs it. A
     * slot holds one item at a low rate, and a sender's burst under load (InboxWriter).
     */
    static final int INBOX_CAPACITY = 16_384;

    private GridInstances() {
    }

    static HazelcastInstance start(ClusterSettings settings, ClassLoader classLoader) {
        return settings.isClient() ? client(settings, classLoader) : member(settings, classLoader);
    }

    private static HazelcastInstance member(ClusterSettings settings, ClassLoader classLoader) {
        Config config = new Config();
        config.setClusterName(settings.name());
        config.setClassLoader(classLoader);
        quiet(config.getProperties());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(true).setPortCount(20);
        network.getInterfaces().setEnabled(true).addInterface(settings.host());
        config.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        config.addMapConfig(new MapConfig("mqttra.*").setBackupCount(settings.backupCount()).setAsyncBackupCount(0));
        config.addRingBufferConfig(new RingbufferConfig(INBOX_PREFIX + "*").setCapacity(INBOX_CAPACITY)
                .setBackupCount(settings.backupCount()).setAsyncBackupCount(0).setTimeToLiveSeconds(0));
        return Hazelcast.newHazelcastInstance(config);
    }

    private static HazelcastInstance client(ClusterSettings settings, ClassLoader classLoader) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(settings.name());
        config.setClassLoader(classLoader);
        quiet(config.getProperties());
        config.getNetworkConfig().setAddresses(settings.members());
        // fail the start rather than wait for ever for a cluster that is not there
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
        return HazelcastClient.newHazelcastClient(config);
    }

    private static void quiet(java.util.Properties p) {
        p.setProperty("hazelcast.phone.home.enabled", "false");
        p.setProperty("hazelcast.logging.type", "jdk");
        // the adapter shuts its instance down itself; a JVM hook would race the server's own shutdown
        p.setProperty("hazelcast.shutdownhook.enabled", "false");
    }
}
