/**
 * The MQTT engine: the Netty pipeline of each listener (TCP, TLS, WebSocket), the protocol flow of a
 * connection, sessions, the subscription tree, routing, QoS state machines, retained messages, wills,
 * keep-alive, limits and {@code $SYS}. It runs in a plain JVM ({@code io.mqttra.engine.EngineMain}) as
 * well as inside the resource adapter, and reaches storage only through interfaces it owns
 * ({@link io.mqttra.broker.MessageStore}, {@link io.mqttra.broker.PersistentSubscriber}).
 *
 * <p>May use: {@code io.mqttra.api}, Netty and the JDK. Nothing of Jakarta EE, JMS, JCA, Hazelcast or
 * the store's database: every other layer builds on this one, never the other way round.
 */
package io.mqttra.broker;
