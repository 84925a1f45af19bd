/**
 * The JMS face of the broker: the message classes, the MQTT ⇄ JMS mapping (the one place where broker
 * messages become API objects and back), selectors, and the outbound JMS API (connection, session,
 * context, producers) that publishes into the broker.
 *
 * <p>May use: {@code io.mqttra.broker}, {@code io.mqttra.api}, the JMS API and Artemis's selector
 * parser. Not the JCA API: connection management belongs to {@code io.mqttra.jca.outbound}.
 */
package io.mqttra.jms;
