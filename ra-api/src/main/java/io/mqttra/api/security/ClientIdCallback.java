package io.mqttra.api.security;

import javax.security.auth.callback.Callback;

/** Asks for the MQTT client identifier of the connecting client (assigned by the broker when it sent none). */
public final class ClientIdCallback implements Callback {

    private String clientId;

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }
}
