package io.mqttra.jca;

import io.mqttra.broker.ClusterBus;
import io.mqttra.cluster.ClusterSettings;
import io.mqttra.cluster.HazelcastCluster;
import jakarta.resource.spi.ResourceAdapterInternalException;

/**
 * The resource adapter's properties about the cluster (several servers as one broker), with their
 * defaults: kept apart from {@link ResourceAdapterProperties}, which extends this class, so that neither
 * is a wall of getters. {@link ClusterSettings} checks them, each by name.
 */
public abstract class ClusterProperties extends SecurityProperties {

    /** A one-member grid by default (issue #17): a second server needs only clusterMembers to join. */
    String cluster = ClusterSettings.EMBEDDED;
    String clusterName = ClusterSettings.DEFAULT_NAME;
    String clusterMembers = "";
    String clusterHost = ClusterSettings.DEFAULT_HOST;
    Integer clusterPort = ClusterSettings.DEFAULT_PORT;
    Integer clusterBackupCount = ClusterSettings.DEFAULT_BACKUP_COUNT;

    /**
     * The broker's cluster as these properties describe it: {@link ClusterBus#NONE} for {@code cluster=none}.
     * Hazelcast's classes are loaded only when a cluster is asked for; nothing starts before the broker does.
     *
     * @throws ResourceAdapterInternalException naming the property that is wrong
     */
    ClusterBus clusterBus() throws ResourceAdapterInternalException {
        if (clusterPort == null || clusterBackupCount == null) {
            throw MqttResourceAdapter.invalid(clusterPort == null ? "clusterPort" : "clusterBackupCount", "must be set");
        }
        ClusterSettings settings;
        try {
            settings = ClusterSettings.parse(cluster, clusterName, clusterMembers, clusterHost, clusterPort, clusterBackupCount);
        } catch (IllegalArgumentException e) {
            // ClusterSettings starts each message with the property's name
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            String property = space > 0 ? message.substring(0, space).replace(":", "") : "cluster";
            throw MqttResourceAdapter.invalid(property, message.substring(space + 1).replaceFirst("^: ?", ""));
        }
        return settings == null ? ClusterBus.NONE : new HazelcastCluster(settings);
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getClusterMembers() {
        return clusterMembers;
    }

    public void setClusterMembers(String clusterMembers) {
        this.clusterMembers = clusterMembers;
    }

    public String getClusterHost() {
        return clusterHost;
    }

    public void setClusterHost(String clusterHost) {
        this.clusterHost = clusterHost;
    }

    public Integer getClusterPort() {
        return clusterPort;
    }

    public void setClusterPort(Integer clusterPort) {
        this.clusterPort = clusterPort;
    }

    public Integer getClusterBackupCount() {
        return clusterBackupCount;
    }

    public void setClusterBackupCount(Integer clusterBackupCount) {
        this.clusterBackupCount = clusterBackupCount;
    }
}
