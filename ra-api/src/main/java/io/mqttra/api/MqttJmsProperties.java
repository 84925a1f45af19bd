package io.mqttra.api;

/**
 * Names of the JMS properties that carry MQTT attributes on messages delivered to message-driven
 * beans (and, in the other direction, on messages sent through the adapter's connection factory).
 *
 * <p>The names use the {@code JMS_} vendor prefix that the JMS specification reserves for
 * providers, so they never collide with application properties.
 */
public final class MqttJmsProperties {

    /** {@code int}: QoS of the MQTT publication as delivered to this subscription (0, 1 or 2). */
    public static final String QOS = "JMS_MQTT_QoS";

    /** {@code boolean}: true when the message comes from the retained-message store. */
    public static final String RETAIN = "JMS_MQTT_Retain";

    /** {@code String}: client identifier of the MQTT client that published the message. */
    public static final String CLIENT_ID = "JMS_MQTT_ClientId";

    /** {@code String}: MQTT 5 content type. */
    public static final String CONTENT_TYPE = "JMS_MQTT_ContentType";

    /**
     * {@code String}: every MQTT 5 user property in the order sent, repeated keys included, as a JSON
     * array of {@code [key, value]} pairs, e.g. {@code [["unit","C"],["site","A"]]}.
     */
    public static final String USER_PROPERTIES = "JMS_MQTT_UserProperties";

    /** Standard JMS property carrying the publisher's authenticated user name. */
    public static final String USER_ID = "JMSXUserID";

    /**
     * {@code String}: the publisher's authenticated user name, as {@link #USER_ID}: from the server's
     * security, a JAAS module or the client certificate, never the name a client merely claimed;
     * absent for anonymous clients and the server's own messages.
     */
    public static final String USER_NAME = "JMS_MQTT_UserName";

    /** Standard JMS property carrying the number of delivery attempts. */
    public static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private MqttJmsProperties() {
    }
}
