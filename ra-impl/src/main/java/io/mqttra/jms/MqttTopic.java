package io.mqttra.jms;

import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.Objects;

/**
 * A JMS {@link Topic} whose name is the MQTT topic, untranslated ({@code sensors/room1/temp}). Also
 * the resource adapter's admin object for {@code jakarta.jms.Topic}: configure its {@code name}
 * property and bind it in JNDI.
 */
public final class MqttTopic implements Topic, Serializable {

    private static final long serialVersionUID = 1L;

    private String name;

    /** For the server, which sets {@link #setName(String)} from the admin object's configuration. */
    public MqttTopic() {
    }

    public MqttTopic(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getTopicName() {
        return name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttTopic t && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
