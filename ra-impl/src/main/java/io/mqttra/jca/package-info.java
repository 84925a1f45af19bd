/**
 * The resource adapter and the activation spec: what the server instantiates from {@code ra.xml}. The
 * adapter starts and stops the broker and the store, validates its properties, and hands activations
 * to {@code io.mqttra.jca.inbound}; connection factories live in {@code io.mqttra.jca.outbound}.
 *
 * <p>May use: {@code io.mqttra.jca.inbound}, {@code io.mqttra.jca.outbound}, {@code io.mqttra.jms},
 * {@code io.mqttra.broker}, {@code io.mqttra.store}, {@code io.mqttra.api} and the Jakarta APIs. The
 * layers below never use this package: they get what they need from it as values or small interfaces.
 */
package io.mqttra.jca;
