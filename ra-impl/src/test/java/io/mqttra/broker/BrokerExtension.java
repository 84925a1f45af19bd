package io.mqttra.broker;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh broker on a free port for each test, stopped afterwards. */
final class BrokerExtension implements BeforeEachCallback, AfterEachCallback {

    private final BrokerConfig config;
    private MqttBroker broker;

    /** One plain TCP listener on a free loopback port. */
    BrokerExtension(BrokerConfig.Builder config) {
        this.config = config.tcp("127.0.0.1", 0).build();
    }

    private BrokerExtension(BrokerConfig config) {
        this.config = config;
    }

    /** The listeners the builder has, e.g. TLS and WebSocket ones (use port 0). */
    static BrokerExtension withListeners(BrokerConfig.Builder config) {
        return new BrokerExtension(config.build());
    }

    BrokerExtension() {
        this(BrokerConfig.builder());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        broker = new MqttBroker(config);
        broker.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        broker.stop();
    }

    MqttBroker broker() {
        return broker;
    }

    InetSocketAddress address() {
        return broker.localAddress();
    }

    int port(int listenerIndex) {
        return broker.localAddress(listenerIndex).getPort();
    }

    String uri() {
        return "tcp://127.0.0.1:" + address().getPort();
    }
}
