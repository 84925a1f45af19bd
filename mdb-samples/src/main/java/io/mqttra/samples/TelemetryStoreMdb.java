package io.mqttra.samples;

import io.mqttra.api.MqttJmsProperties;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Writes every reading under {@code sensors/} into the TELEMETRY table, in the delivery's transaction:
 * the adapter takes the message off the subscription only when this transaction commits, so each
 * reading is stored exactly once even when the database or the bean fails on the way.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "shareName", propertyValue = "telemetry-store"),
})
@ResourceAdapter("mqtt-ra.rar")
@TransactionAttribute(TransactionAttributeType.REQUIRED)
@PermitAll
public class TelemetryStoreMdb implements MessageListener {

    @Resource(lookup = "java:comp/DefaultDataSource") // WildFly: ExampleDS; Liberty: the dataSource with id DefaultDataSource
    private DataSource database;

    @Override
    public void onMessage(Message message) {
        try (Connection c = database.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO TELEMETRY (TOPIC, PAYLOAD, CLIENT_ID) VALUES (?, ?, ?)")) {
            insert.setString(1, ((Topic) message.getJMSDestination()).getTopicName());
            insert.setString(2, message.getBody(String.class));
            insert.setString(3, message.getStringProperty(MqttJmsProperties.CLIENT_ID));
            insert.executeUpdate();
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException("Cannot store the reading; the transaction rolls back and it comes again", e);
        }
    }
}
