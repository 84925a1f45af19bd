/**
 * The local durable store (H2 MVStore) behind the broker's {@link io.mqttra.broker.MessageStore}: the
 * queues of durable message-driven bean subscriptions, kept across restarts.
 *
 * <p>May use: {@code io.mqttra.broker} (the interfaces it implements), {@code io.mqttra.api}, H2 MVStore.
 */
package io.mqttra.store;
