package io.mqttra.console;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the server gives this deployment a Micrometer registry (WildFly's micrometer subsystem does, through
 * CDI). Without one, {@link MicrometerBinding} is never loaded, so the console deploys on a server without
 * Micrometer too; its own {@code /metrics} endpoint works either way.
 */
final class MicrometerPresence {

    private static final Logger LOG = Logger.getLogger(MicrometerPresence.class.getName());

    private MicrometerPresence() {
    }

    /** What each tick runs to update the Micrometer meters; does nothing when there is no registry. */
    static Runnable binding(MetricsCatalog catalog) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, MicrometerPresence.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            LOG.fine("MQTT-RA console: no Micrometer in this server; metrics only at /metrics");
            return () -> { };
        }
        try {
            Runnable binding = MicrometerBinding.toServerRegistry(catalog);
            LOG.info("MQTT-RA console: the adapter's metrics are registered in the server's Micrometer registry");
            return binding;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.INFO, "MQTT-RA console: the server's Micrometer registry is not available to it: " + e);
            return () -> { };
        }
    }
}
