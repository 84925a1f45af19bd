package io.mqttra.api.security;

import javax.security.auth.callback.Callback;

/**
 * Asks for the name of the listener the client connected to ({@code name=} in the listener's URI,
 * else its scheme and port, e.g. {@code ssl-8883}): a module can treat a device listener and a
 * browser listener differently, as IBM MQ Telemetry's channel name allows.
 */
public final class ListenerNameCallback implements Callback {

    private String listenerName;

    public String getListenerName() {
        return listenerName;
    }

    public void setListenerName(String listenerName) {
        this.listenerName = listenerName;
    }
}
