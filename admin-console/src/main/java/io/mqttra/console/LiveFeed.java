package io.mqttra.console;

import jakarta.json.JsonArray;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open Server-Sent Events streams of the dashboard. Each tick reads one snapshot from the MXBeans and sends
 * it to every stream, so that the MXBeans are read once a second however many pages are open. Each stream then
 * gets a {@code topics} event with the levels of the topic tree its page has open (see {@link OpenTopicTree}).
 */
final class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

    private final ManagedBroker adapter;
    private final DashboardSnapshot snapshot;
    /** Each stream with the topic levels its page has open. */
    private final Map<AsyncContext, Set<String>> streams = new ConcurrentHashMap<>();

    LiveFeed(ManagedBroker adapter) {
        this.adapter = adapter;
        this.snapshot = new DashboardSnapshot(adapter);
    }

    /** Sends the current snapshot at once, then one per tick until the stream closes. */
    void open(AsyncContext stream, Set<String> openTopicLevels) {
        streams.put(stream, openTopicLevels);
        send(stream, event() + topicsEvent(openTopicLevels, new HashMap<>()));
    }

    private void close(AsyncContext stream) {
        if (streams.remove(stream) != null) {
            try {
                stream.complete();
            } catch (IllegalStateException alreadyOver) {
                // the container ended it first
            }
        }
    }

    void tick() {
        if (streams.isEmpty()) {
            return;
        }
        String event = event();
        Map<String, JsonArray> levels = new HashMap<>();
        for (Map.Entry<AsyncContext, Set<String>> s : streams.entrySet()) {
            send(s.getKey(), event + topicsEvent(s.getValue(), levels));
        }
    }

    void closeAll() {
        for (AsyncContext stream : streams.keySet()) {
            close(stream);
        }
    }

    private String event() {
        try {
            return "data: " + snapshot.read() + "\n\n";
        } catch (RuntimeException e) {
            // the adapter stopped between the check and the read (undeploy): the page says so and keeps listening
            LOG.log(Level.FINE, "MQTT-RA console: reading the MXBeans failed", e);
            return "data: {\"running\":false,\"time\":" + System.currentTimeMillis() + "}\n\n";
        }
    }

    /** The page's open levels of the topic tree, or nothing while the adapter is not running. */
    private String topicsEvent(Set<String> open, Map<String, JsonArray> levels) {
        try {
            return adapter.running() ? "event: topics\ndata: " + OpenTopicTree.read(adapter.topics(), open, levels).build() + "\n\n" : "";
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "MQTT-RA console: reading the Topics MXBean failed", e);
            return "";
        }
    }

    private void send(AsyncContext stream, String event) {
        // the tick and a stream's first event come from different threads
        synchronized (stream) {
            try {
                PrintWriter out = stream.getResponse().getWriter();
                out.write(event);
                out.flush();
                if (out.checkError()) {
                    throw new IOException("the browser went away");
                }
            } catch (IOException | IllegalStateException e) {
                close(stream);
            }
        }
    }
}
