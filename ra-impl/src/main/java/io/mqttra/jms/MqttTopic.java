package io.mqttra.jms;

import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.Objects;

/** A JMS {@link Topic} whose name is the MQTT topic, untranslated ({@code sensors/room1/temp}). */
public final class MqttTopic implements Topic, Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;

    public MqttTopic(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getTopicName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttTopic t && t.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
