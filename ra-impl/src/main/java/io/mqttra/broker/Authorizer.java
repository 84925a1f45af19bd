package io.mqttra.broker;

/**
 * Topic permissions. Called on the event loop for every PUBLISH, SUBSCRIBE and will, so an
 * implementation answers from memory, quickly, without blocking. The broker itself refuses what no
 * client may do whatever the rules say (publishing to {@code $SYS}).
 */
public interface Authorizer {

    /** Allows everything the broker itself allows. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean mayPublish(String clientId, ClientIdentity who, String topic) {
            return true;
        }

        @Override
        public boolean maySubscribe(String clientId, ClientIdentity who, String filter, String shareName) {
            return true;
        }
    };

    /** Whether the client may publish to {@code topic} (a topic name, also a will's topic). */
    boolean mayPublish(String clientId, ClientIdentity who, String topic);

    /**
     * Whether the client may subscribe to {@code filter}, and so receive every message, retained ones
     * included, whose topic it matches.
     *
     * @param filter the topic filter, without a {@code $share/<name>/} prefix
     * @param shareName the shared subscription's name, or {@code null} for an ordinary subscription
     */
    boolean maySubscribe(String clientId, ClientIdentity who, String filter, String shareName);
}
