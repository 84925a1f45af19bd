package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.Await;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adapter's cluster properties: each bad value fails the start naming the property, and an embedded
 * Hazelcast member lives exactly as long as the adapter (a redeploy must find its port free again).
 */
class ClusterPropertiesTest {

    @Test
    void anUnknownModeNamesTheClusterProperty() {
        MqttResourceAdapter ra = adapter();
        ra.setCluster("multicast");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertEquals("Invalid MQTT-RA resource adapter property 'cluster': must be none, embedded or client, not 'multicast'",
                e.getMessage());
    }

    @Test
    void aClientWithoutAddressesNamesClusterMembers() {
        MqttResourceAdapter ra = adapter();
        ra.setCluster("client");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertTrue(e.getMessage().startsWith("Invalid MQTT-RA resource adapter property 'clusterMembers': must list"), e.getMessage());
    }

    @Test
    void aMemberWithABadPortNamesClusterMembers() {
        MqttResourceAdapter ra = adapter();
        ra.setCluster("embedded");
        ra.setClusterMembers("127.0.0.1:5702, 127.0.0.1:99999");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertEquals("Invalid MQTT-RA resource adapter property 'clusterMembers': '127.0.0.1:99999' is not host:port", e.getMessage());
    }

    @Test
    void portAndBackupsOutOfRangeNameTheirProperties() {
        MqttResourceAdapter port = adapter();
        port.setCluster("embedded");
        port.setClusterPort(0);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> port.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'clusterPort': must be between 1 and 65535"));
        MqttResourceAdapter backups = adapter();
        backups.setCluster("embedded");
        backups.setClusterBackupCount(7);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> backups.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'clusterBackupCount': must be between 0 and 6"));
        MqttResourceAdapter unset = adapter();
        unset.setCluster("embedded");
        unset.setClusterPort(null);
        assertEquals("Invalid MQTT-RA resource adapter property 'clusterPort': must be set",
                assertThrows(ResourceAdapterInternalException.class, () -> unset.start(null)).getMessage());
    }

    @Test
    void aWrongPropertyOfAClusterOffIsIgnored() throws Exception {
        MqttResourceAdapter ra = adapter();
        ra.setCluster("none");
        ra.setClusterPort(0); // cluster=none reads no other cluster property
        ra.start(null);
        ra.stop();
    }

    @Test
    void theEmbeddedMemberStartsWithTheAdapterAndStopFreesItsPortAndThreads() throws Exception {
        int port = freePort();
        MqttResourceAdapter ra = adapter();
        ra.setCluster("embedded");
        ra.setClusterName("cluster-properties-test");
        ra.setClusterPort(port);
        ra.start(null);
        try {
            assertFalse(isFree(port), "the member listens on clusterPort " + port);
            assertFalse(hazelcastThreads().isEmpty(), "Hazelcast's threads run");
        } finally {
            ra.stop();
        }
        assertTrue(isFree(port), "the adapter's stop closed the member's port " + port);
        Await.until(Duration.ofSeconds(10), "Hazelcast's threads to end", ClusterPropertiesTest::hazelcastThreads,
                List::isEmpty);
        // a redeploy: the same port again
        MqttResourceAdapter again = adapter();
        again.setCluster("embedded");
        again.setClusterName("cluster-properties-test");
        again.setClusterPort(port);
        again.start(null);
        again.stop();
    }

    /** Without clusterMembers a member is alone: two default servers on one machine do not become one broker by chance. */
    @Test
    void embeddedMembersWithoutClusterMembersStayAlone() throws Exception {
        MqttResourceAdapter first = adapter();
        first.setCluster("embedded");
        MqttResourceAdapter second = adapter();
        second.setCluster("embedded");
        first.start(null);
        try {
            second.start(null); // the same name and port: it takes the next port
            List<Integer> sizes = com.hazelcast.core.Hazelcast.getAllHazelcastInstances().stream()
                    .map(h -> h.getCluster().getMembers().size()).toList();
            assertEquals(List.of(1, 1), sizes, "members each instance sees");
        } finally {
            second.stop();
            first.stop();
        }
    }

    private static MqttResourceAdapter adapter() {
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        ra.setPersistence(false);
        ra.setSysIntervalSeconds(0);
        return ra;
    }

    /** Hazelcast names its threads after the instance: {@code hz.<instance>.<purpose>}. */
    private static List<String> hazelcastThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("hz.")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
