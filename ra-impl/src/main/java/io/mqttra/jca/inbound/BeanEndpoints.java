package io.mqttra.jca.inbound;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttMessageListener;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.jms.InboundMessageMapper;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import io.mqttra.jms.NativeMessageMapper;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * One message-driven bean as the container presents it: endpoints from its factory, the listener it
 * implements (the JMS {@link MessageListener} or the native {@link MqttMessageListener}), and, for a
 * transacted bean, how a delivery learns its transaction's outcome.
 */
final class BeanEndpoints {

    private static final Logger LOG = Logger.getLogger(BeanEndpoints.class.getName());

    private static final Method ON_JMS_MESSAGE;
    private static final Method ON_MQTT_MESSAGE;

    static {
        try {
            ON_JMS_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
            ON_MQTT_MESSAGE = MqttMessageListener.class.getMethod("onMessage", MqttMessage.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;
    private final String beanName;
    /** The bean implements {@link MqttMessageListener} rather than the JMS {@link MessageListener}. */
    private final boolean nativeListener;
    private final Method onMessage;
    private final boolean transacted;
    private final BodyType bodyType;
    /** Where a transacted delivery's {@link DeliveryOutcome} listens; null: the server has none, it is enlisted as an XAResource. */
    private final TransactionSynchronizationRegistry synchronizations;
    private volatile boolean warnedNoTransaction;

    BeanEndpoints(MessageEndpointFactory factory, BodyType bodyType, TransactionSynchronizationRegistry synchronizations)
            throws ResourceException {
        this.factory = factory;
        this.beanName = beanName(factory);
        Class<?> bean = factory.getEndpointClass();
        this.nativeListener = bean != null && MqttMessageListener.class.isAssignableFrom(bean);
        this.onMessage = nativeListener ? ON_MQTT_MESSAGE : ON_JMS_MESSAGE;
        try {
            this.transacted = factory.isDeliveryTransacted(onMessage);
        } catch (NoSuchMethodException e) {
            throw new ResourceException(beanName + " has no " + onMessage + " method", e);
        }
        this.bodyType = bodyType;
        this.synchronizations = synchronizations;
    }

    /** The bean class when the server tells it (its activation name is server-specific and often cryptic). */
    static String beanName(MessageEndpointFactory factory) {
        Class<?> bean = factory.getEndpointClass();
        return bean != null ? bean.getName() : factory.getActivationName();
    }

    String beanName() {
        return beanName;
    }

    /** The method the container is told about in {@code beforeDelivery}. */
    Method onMessage() {
        return onMessage;
    }

    /** Whether the container delivers in a transaction ({@code isDeliveryTransacted}). */
    boolean transacted() {
        return transacted;
    }

    /**
     * Whether one endpoint may serve message after message. An endpoint created with an XAResource
     * belongs to that one delivery's resource.
     */
    boolean reusable() {
        return !transacted || synchronizations != null;
    }

    /**
     * A new endpoint; a transacted bean's is given the outcome as its XAResource when the server has no
     * synchronization registry to listen through.
     */
    MessageEndpoint create(DeliveryOutcome outcome) throws UnavailableException {
        return factory.createEndpoint(reusable() ? null : outcome);
    }

    /**
     * Registers the outcome with the transaction {@code beforeDelivery} began. Without one, nothing
     * tells the outcome, and the delivery counts as done when {@code onMessage} returns normally.
     */
    void listenForOutcome(DeliveryOutcome outcome, String subscriberId) {
        if (synchronizations == null) {
            return; // the outcome is the endpoint's XAResource
        }
        try {
            synchronizations.registerInterposedSynchronization(outcome);
        } catch (IllegalStateException noTransaction) {
            if (!warnedNoTransaction) {
                warnedNoTransaction = true;
                LOG.warning(subscriberId + " is transacted, but no transaction is active after beforeDelivery ("
                        + noTransaction.getMessage() + "); its messages are settled when onMessage returns normally");
            }
        }
    }

    /** Maps the message for the bean's listener and calls it. */
    void deliver(MessageEndpoint endpoint, StoredMessage m) {
        if (nativeListener) {
            ((MqttMessageListener) endpoint).onMessage(
                    NativeMessageMapper.toNative(m.message(), m.qos(), m.fromRetainedStore(), m.deliveryCount()));
        } else {
            ((MessageListener) endpoint).onMessage(
                    InboundMessageMapper.toJms(m.message(), m.qos(), m.fromRetainedStore(), m.deliveryCount(), bodyType,
                            m.messageId()));
        }
    }
}
