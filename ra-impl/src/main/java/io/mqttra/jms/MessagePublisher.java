package io.mqttra.jms;

import io.mqttra.broker.PublishedMessage;

/**
 * Where the JMS objects handed to applications send their messages: a pooled connection of the
 * resource adapter, which publishes at once or holds the message until the caller's transaction
 * commits.
 */
public interface MessagePublisher {

    void publish(PublishedMessage message);
}
