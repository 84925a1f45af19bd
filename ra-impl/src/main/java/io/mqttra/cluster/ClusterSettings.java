package io.mqttra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a broker joins its cluster, validated: each problem names the property that holds it.
 *
 * @param mode {@code embedded} (a Hazelcast member in this JVM) or {@code client} (an external Hazelcast cluster)
 * @param name the Hazelcast cluster name: members with another name never join
 * @param members embedded: the other members' {@code host[:port]} (TCP-IP discovery; empty: this one alone);
 *     client: the external cluster's addresses
 * @param host the address the embedded member binds and announces
 * @param port the embedded member's port (the next ones are tried when it is taken)
 * @param backupCount synchronous backups of every grid entry: 1 keeps data through the loss of one member
 */
public record ClusterSettings(String mode, String name, List<String> members, String host, int port, int backupCount) {

    public static final String EMBEDDED = "embedded";
    public static final String CLIENT = "client";
    public static final String NONE = "none";
    public static final String DEFAULT_NAME = "mqtt-ra";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    public static final int DEFAULT_BACKUP_COUNT = 1;

    public ClusterSettings {
        members = List.copyOf(members);
    }

    /**
     * Parses the RA's (or the engine's) values; {@code prefix} is how their names start in messages
     * ({@code "cluster"} gives {@code clusterMembers}).
     *
     * @return null for mode {@code none}
     * @throws IllegalArgumentException naming the property that is wrong
     */
    public static ClusterSettings parse(String mode, String name, String members, String host, int port, int backupCount) {
        String m = mode == null || mode.isBlank() ? NONE : mode.trim().toLowerCase(Locale.ROOT);
        if (m.equals(NONE)) {
            return null;
        }
        if (!m.equals(EMBEDDED) && !m.equals(CLIENT)) {
            throw new IllegalArgumentException("cluster must be none, embedded or client, not '" + mode + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be empty");
        }
        List<String> list = new ArrayList<>();
        if (members != null) {
            for (String member : members.split(",")) {
                String a = member.trim();
                if (!a.isEmpty()) {
                    checkAddress(a);
                    list.add(a);
                }
            }
        }
        if (m.equals(CLIENT) && list.isEmpty()) {
            throw new IllegalArgumentException("clusterMembers must list the external Hazelcast cluster's addresses when cluster=client");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("clusterPort must be between 1 and 65535, not " + port);
        }
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("clusterBackupCount must be between 0 and 6 (Hazelcast's limit), not " + backupCount);
        }
        return new ClusterSettings(m, name.trim(), list, host == null || host.isBlank() ? DEFAULT_HOST : host.trim(), port, backupCount);
    }

    private static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            try {
                int p = Integer.parseInt(address.substring(colon + 1));
                if (p >= 1 && p <= 65535) {
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("clusterMembers: '" + address + "' is not host:port");
        }
    }

    boolean isClient() {
        return mode.equals(CLIENT);
    }

    @Override
    public String toString() {
        return isClient() ? "client of Hazelcast cluster '" + name + "' at " + members
                : "embedded Hazelcast member of cluster '" + name + "' on " + host + ":" + port + ", members "
                        + (members.isEmpty() ? "none configured (alone)" : members.toString()) + ", " + backupCount + " backup(s)";
    }
}
