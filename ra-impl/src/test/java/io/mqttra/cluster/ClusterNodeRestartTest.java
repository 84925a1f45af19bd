package io.mqttra.cluster;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node of two, each with its data directory, killed and started again at once while the other runs:
 * the survivor and the restarted node may both reach for its sessions, and its clients come back to it
 * before either has.
 */
class ClusterNodeRestartTest {

    private static final int CLIENTS = 300;

    @TempDir
    Path data;
    private List<EngineNode> nodes;

    @AfterEach
    void stopCluster() throws Exception {
        if (nodes != null) {
            for (EngineNode n : nodes) {
                n.close();
            }
        }
    }

    /**
     * Persistent sessions on B with a QoS 1 message each, published on A; B is killed and restarted; its
     * clients reconnect to it the moment it accepts. Each finds its session and its message [MQTT-3.1.2-5].
     */
    @Test
    void theClientsOfANodeKilledAndRestartedAtOnceFindTheirSessionsThere() throws Exception {
        nodes = EngineNode.cluster("node-restart", 2, data);
        EngineNode a = nodes.get(0);
        EngineNode b = nodes.get(1);
        PersistentFleet fleet = new PersistentFleet("fleet", CLIENTS);
        fleet.subscribeAndLeave(b.mqttPort);
        fleet.queueOneEach(a.mqttPort);

        b.kill();
        b.restartUntilItAccepts();

        PersistentFleet.Back back = fleet.comeBack(b.mqttPort);
        back.assertEveryoneBack(CLIENTS);
    }
}
