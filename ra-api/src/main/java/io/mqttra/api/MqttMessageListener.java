package io.mqttra.api;

/**
 * The native message listener: a message-driven bean that implements it receives MQTT messages as
 * they are, instead of as JMS messages, with the same activation properties and delivery guarantees
 * (a transacted bean settles a message only when its transaction commits).
 *
 * <pre>{@code
 * @MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
 *     @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/#") })
 * public class RawTelemetry implements MqttMessageListener {
 *     public void onMessage(MqttMessage message) { ... message.topic(), message.payload() ... }
 * }
 * }</pre>
 */
public interface MqttMessageListener {

    void onMessage(MqttMessage message);
}
