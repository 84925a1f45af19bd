package io.mqttra.console;

import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open Server-Sent Events streams of the dashboard. Each tick reads one snapshot from the MXBeans and sends
 * it to every stream, so that the MXBeans are read once a second however many pages are open.
 */
final class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

    private final DashboardSnapshot snapshot;
    private final List<AsyncContext> streams = new CopyOnWriteArrayList<>();

    LiveFeed(DashboardSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** Sends the current snapshot at once, then one per tick until the stream closes. */
    void open(AsyncContext stream) {
        streams.add(stream);
        send(stream, event());
    }

    private void close(AsyncContext stream) {
        if (streams.remove(stream)) {
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
        for (AsyncContext stream : streams) {
            send(stream, event);
        }
    }

    void closeAll() {
        for (AsyncContext stream : streams) {
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
