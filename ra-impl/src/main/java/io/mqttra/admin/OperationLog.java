package io.mqttra.admin;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of what administrators did through the MXBeans: every operation that changes something at
 * INFO, queries at FINE, each with the caller's identity.
 */
final class OperationLog {

    private static final Logger LOG = Logger.getLogger(OperationLog.class.getPackageName());

    private OperationLog() {
    }

    /** An operation that changed something (or tried to): {@code what} says what and with which result. */
    static void changed(String what) {
        LOG.info("MQTT-RA administration: " + AdministratorIdentity.current() + " " + what);
    }

    static void queried(String what) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("MQTT-RA administration: " + AdministratorIdentity.current() + " " + what);
        }
    }
}
