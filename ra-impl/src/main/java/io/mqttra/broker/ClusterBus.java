package io.mqttra.broker;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The other brokers of a cluster, as this broker uses them: where its routes are announced, through
 * which messages published here reach subscribers elsewhere, and which connection owns a client
 * identifier. {@link #NONE} is a broker alone; {@code io.mqttra.cluster} has the grid's implementation.
 *
 * <p>Nothing here blocks the caller: what waits for other nodes answers with a future.
 */
public interface ClusterBus {

    /** A broker alone: every call answers at once and nothing leaves this JVM. */
    ClusterBus NONE = new ClusterBus() {
        @Override
        public void start(Node node) {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isClustered() {
            return false;
        }
    };

    /**
     * This broker as the cluster sees it: what other nodes do to it. Its methods are called on the
     * cluster's threads and never block.
     */
    interface Node {

        /** Another node now has subscribers for {@code filter} (in {@code shareGroup}, or ordinary when null). */
        void addRemoteRoute(RemoteNode node, String filter, String shareGroup);

        void removeRemoteRoute(RemoteNode node, String filter, String shareGroup);

        /** Every route of a node that left the cluster goes. */
        void removeRemoteNode(RemoteNode node);

        /**
         * A message published on another node: a retained one is stored, and it goes to the local ordinary
         * subscriptions when {@code ordinary}, and to one local member of each shared group in {@code shared}.
         *
         * @return completes once the persistent subscribers among them hold it; null when there are none
         */
        CompletableFuture<Void> deliverForwarded(PublishedMessage message, boolean ordinary, List<Subscription> shared);

        /**
         * A message that was on its way to a node that died, for the sessions of that node taken over here
         * ({@code clientIds}) whose subscriptions match, and one local member of each group in {@code shared}.
         *
         * @return completes once the persistent subscribers among them hold it; null when there are none
         */
        CompletableFuture<Void> deliverToAdopted(PublishedMessage message, Set<String> clientIds, List<Subscription> shared);

        /**
         * Another node accepted a connection for {@code clientId}: the connection {@code connectionId}
         * holding it here (or the offline session it left) ends, and the client continues there.
         *
         * @param movesTo the node the client resumes its session on, which takes the session along; null
         *     when it starts a new one there. What the session's subscriptions match from now on goes there.
         * @return what the session takes along; null when there is none (or it is not asked for)
         */
        SessionHandover takenOver(String clientId, String connectionId, RemoteNode movesTo);

        /**
         * Takes over the persistent session of a client whose node died, as it was kept in the grid: it
         * continues here, offline until its client connects, queueing what its subscriptions match.
         *
         * @return false when this node already has a session for {@code clientId}, or no room for one
         */
        boolean adopt(String clientId, SessionHandover state);

        /** Publishes the will of a client whose node died: the survivors agree which one does (once). */
        void publishOrphanedWill(PublishedMessage will);

        /** This node's routes (filter and share group), for a node that joins. */
        Collection<Subscription> localRoutes();

        /** Where retained messages from other nodes and from the grid's copy are kept. */
        RetainedMessages retained();
    }

    /** Joins the cluster; called before the listeners bind. */
    void start(Node node) throws BrokerStartException;

    /** Leaves the cluster; called once the listeners are closed. */
    void stop();

    /** Whether other nodes can exist at all (false for {@link #NONE}). */
    boolean isClustered();

    /**
     * Whether another node took {@code clientId} over from the connection {@code connectionId} while that
     * connection was still being claimed here, before it had a session to end: it must end as soon as it has.
     */
    default boolean takenOverMeanwhile(String clientId, String connectionId) {
        return false;
    }

    /**
     * Before {@link #start}: what the cluster keeps of this node's sessions and retained messages is also
     * written to {@code store}, so that it outlives a restart of every node.
     */
    default void keepIn(MessageStore store) {
    }

    /** The other nodes now in the cluster. */
    default Collection<RemoteNode> remoteNodes() {
        return List.of();
    }

    /**
     * This node now has a local subscriber for {@code filter} in {@code shareGroup} (null: ordinary), and
     * had none before. Completes once every node routes matching messages here.
     */
    default CompletableFuture<Void> routeAdded(String filter, String shareGroup) {
        return CompletableFuture.completedFuture(null);
    }

    /** This node's last local subscriber for {@code filter} in {@code shareGroup} left. */
    default void routeRemoved(String filter, String shareGroup) {
    }

    /**
     * Completes once every retained message acknowledged to its publisher on another node before this
     * call is in {@link Node#retained()}: a subscription made after a publish sees it (read-your-write).
     */
    default CompletableFuture<Void> retainedBarrier() {
        return CompletableFuture.completedFuture(null);
    }

    /** Keeps the grid's copy of a retained message (an empty payload deletes it), for nodes that join later. */
    default CompletableFuture<Void> retainedStored(PublishedMessage message) {
        return null;
    }

    /**
     * A connection of this node is about to hold {@code clientId}'s session (its login succeeded): one
     * elsewhere is taken over, and when the client resumes its session ({@code resume}, no clean start)
     * the node that had it hands it over. Completes with what it handed over, or null when there was no
     * session elsewhere; the CONNACK waits for it.
     */
    default CompletableFuture<SessionHandover> claim(String clientId, String connectionId, boolean resume) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * {@code clientId}'s connection {@code connectionId} here carries {@code will}: kept in the grid, so
     * that should this node die, another node publishes it.
     */
    default void willKept(String clientId, String connectionId, PublishedMessage will) {
    }

    /** That connection ended on this node, which publishes or discards the will itself. */
    default void willDone(String clientId, String connectionId) {
    }

    /** {@code clientId}'s session ended here (its connection {@code connectionId} was the last to hold it). */
    default void sessionEnded(String clientId, String connectionId) {
    }

    /** A QoS 1/2 message of a persistent session, as the grid keeps it until it is delivered or dropped. */
    interface KeptMessage {

        /** Completes once the grid holds it (with its backups): the publisher's acknowledgement may follow. */
        CompletableFuture<Void> stored();

        /**
         * QoS 2: it is about to go out under {@code packetId}. A node that continues the session after this
         * one died resends it under the same identifier, with DUP, so that a client holding it does not
         * take it again [MQTT-4.3.3-10]. The PUBLISH waits for the returned future.
         */
        CompletableFuture<Void> sent(int packetId);

        /** QoS 2: the client answered PUBREC; a node that continues the session sends PUBREL. The PUBREL waits. */
        CompletableFuture<Void> released();

        /** Delivered, dropped, or gone with its session: the grid forgets it. */
        void forget();
    }

    /**
     * Keeps {@code clientId}'s persistent session in the grid as it is now ({@code subscriptions}, expiry),
     * so that should this node die, another one continues it. Completes once the grid holds it.
     */
    default CompletableFuture<Void> sessionKept(String clientId, long expirySeconds, Collection<Subscription> subscriptions) {
        return null;
    }

    /** {@code clientId}'s persistent session is no longer here (ended, expired, or moved): the grid forgets it. */
    default void sessionDropped(String clientId) {
    }

    /**
     * Keeps a message on its way to a persistent session in the grid, with the packet identifier it was
     * sent under if it was, until {@link KeptMessage#forget()}.
     *
     * @return null when the grid keeps no sessions
     */
    default KeptMessage keepMessage(String clientId, SessionHandover.QueuedMessage message) {
        return null;
    }
}
