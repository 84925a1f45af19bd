package io.mqttra.cluster;

import com.hazelcast.map.IMap;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.RetainedMessages;
import io.mqttra.store.StoredMessageCodec;
import java.util.concurrent.CompletableFuture;

/**
 * Retained messages in the grid map {@code mqttra.retained} by topic, for the nodes that start later, and
 * on this node's disk ({@link LocalCopy}) for when no node runs. Every node keeps every retained message
 * in memory as well: they reach it through its inbox.
 */
final class GridRetained {

    private final IMap<String, byte[]> retained;
    private final LocalCopy local;
    private final GridFutures futures;

    GridRetained(IMap<String, byte[]> retained, LocalCopy local, GridFutures futures) {
        this.retained = retained;
        this.local = local;
        this.futures = futures;
    }

    /** A retained message published here: the future completes once the grid (and the disk) hold it. */
    CompletableFuture<Void> stored(PublishedMessage message) {
        if (message.payload().length == 0) {
            local.retained(message.topic(), null);
            return futures.done(retained.deleteAsync(message.topic()));
        }
        byte[] encoded = StoredMessageCodec.encodeMessage(message);
        CompletableFuture<Void> inGrid = futures.done(retained.setAsync(message.topic(), encoded));
        return local.isOn() ? CompletableFuture.allOf(inGrid, local.retained(message.topic(), encoded)) : inGrid;
    }

    /** A retained message published on another node: the grid has it from there, the disk gets it here. */
    void forwarded(PublishedMessage message) {
        if (local.isOn()) {
            local.retained(message.topic(), message.payload().length == 0 ? null : StoredMessageCodec.encodeMessage(message));
        }
    }

    /**
     * At start: what the disk kept goes into the grid where the grid has nothing for its topic, and the disk
     * then holds what the grid has. A message deleted while this node was away comes back: the disk
     * cannot know.
     */
    void restore() {
        if (local.isOn()) {
            local.retainedMessages().forEach(retained::putIfAbsent);
            retained.forEach(local::retained);
        }
    }

    /** The grid's retained messages, unexpired, into {@code into}; how many. */
    int load(RetainedMessages into) {
        int n = 0;
        long now = System.currentTimeMillis();
        for (byte[] bytes : retained.values()) {
            PublishedMessage m = StoredMessageCodec.decodeMessage(bytes);
            if (!m.isExpired(now)) {
                into.store(m);
                n++;
            }
        }
        return n;
    }
}
