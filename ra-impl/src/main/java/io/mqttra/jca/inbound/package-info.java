/**
 * Delivery into message-driven beans: each activation is a subscription inside the broker
 * ({@link io.mqttra.jca.inbound.EndpointSubscription}) whose lanes hand messages to the bean as
 * {@code Work}, settle them on the bean's transaction outcome, redeliver, and dead-letter; durable
 * activations keep their queue in the broker's {@link io.mqttra.broker.MessageStore} while no bean runs.
 *
 * <p>May use: {@code io.mqttra.jms} (the mapping to the bean's message), {@code io.mqttra.broker},
 * {@code io.mqttra.security}, {@code io.mqttra.api} and the Jakarta APIs. Not {@code io.mqttra.jca}
 * itself: the activation spec reaches this package as {@link io.mqttra.jca.inbound.ActivationSettings}.
 * Not {@code io.mqttra.store}: the adapter picks the store; this package sees only the broker's interface.
 */
package io.mqttra.jca.inbound;
