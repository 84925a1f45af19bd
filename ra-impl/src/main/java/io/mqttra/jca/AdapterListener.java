package io.mqttra.jca;

import io.mqttra.jca.inbound.EndpointSubscription;

/**
 * Told when the adapter starts and stops and when beans are activated and deactivated: how layers above
 * this one (the administration's MXBeans) follow the adapter without this package knowing them. The
 * adapter finds implementations with {@link java.util.ServiceLoader} in its own class loader when it
 * starts, a new instance each start. A listener that throws is logged and left out; the adapter runs on.
 */
public interface AdapterListener {

    /** The adapter has started: its broker is up, its durable subscriptions are back. */
    void started(MqttResourceAdapter adapter) throws Exception;

    /** A bean's activation is subscribed. */
    void activated(EndpointSubscription activation);

    /** A bean's activation is unsubscribed and stopped. */
    void deactivated(EndpointSubscription activation);

    /** The adapter is about to stop: its beans, then its broker. */
    void stopping();
}
