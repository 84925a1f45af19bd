package io.mqttra.broker;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh broker on a free port for each test, stopped afterwards. */
final class BrokerExtension implements BeforeEachCallback, AfterEachCallback {

    private final BrokerConfig config;
    private MqttBroker broker;

    BrokerExtension(BrokerConfig.Builder config) {
        this.config = config.bindAddress("127.0.0.1").port(0).build();
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

    String uri() {
        return "tcp://127.0.0.1:" + address().getPort();
    }
}
