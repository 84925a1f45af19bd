package io.mqttra.api.management;

/**
 * One client session and its subscriptions.
 *
 * @param client the session
 * @param subscriptions its subscriptions, ordered by filter
 */
public record ClientDetails(ClientInfo client, SubscriptionInfo[] subscriptions) {
}
