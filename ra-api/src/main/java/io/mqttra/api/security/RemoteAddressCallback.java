package io.mqttra.api.security;

import java.net.InetSocketAddress;
import javax.security.auth.callback.Callback;

/** Asks for the network address the client connected from. */
public final class RemoteAddressCallback implements Callback {

    private InetSocketAddress address;

    public InetSocketAddress getAddress() {
        return address;
    }

    public void setAddress(InetSocketAddress address) {
        this.address = address;
    }
}
