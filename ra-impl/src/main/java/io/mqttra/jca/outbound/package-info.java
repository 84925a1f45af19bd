/**
 * Publishing from applications: the managed connection factories (JMS and native), their managed
 * connections, the connection factories applications look up, and the transactional publisher that
 * sends a transaction's messages when it commits.
 *
 * <p>May use: {@code io.mqttra.jms} (the JMS API objects handed to applications), {@code io.mqttra.broker},
 * {@code io.mqttra.security}, {@code io.mqttra.api} and the Jakarta APIs. Not {@code io.mqttra.jca}
 * itself: the adapter reaches this package as a {@link io.mqttra.jca.outbound.BrokerHost}.
 */
package io.mqttra.jca.outbound;
