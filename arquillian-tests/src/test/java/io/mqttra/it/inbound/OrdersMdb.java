package io.mqttra.it.inbound;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Writes each order into the database in the delivery's transaction, and fails a share of first
 * deliveries after the insert: by throwing (every 4th order) or by setRollbackOnly (every 7th).
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/orders/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "20"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "5000"),
})
@ResourceAdapter("mqtt-ra.rar")
@TransactionAttribute(TransactionAttributeType.REQUIRED)
@PermitAll
public class OrdersMdb implements MessageListener {

    @Resource(lookup = "java:comp/DefaultDataSource") // WildFly: ExampleDS; Liberty: the test server's DefaultDataSource
    private DataSource database;

    @Resource
    private MessageDrivenContext context;

    @Override
    public void onMessage(Message message) {
        try (Connection c = database.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO IT_ORDERS (ID) VALUES (?)")) {
            String id = message.getBody(String.class);
            insert.setString(1, id);
            insert.executeUpdate();
            boolean first = message.getIntProperty("JMSXDeliveryCount") == 1;
            int n = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            if (first && n % 4 == 0) {
                throw new IllegalStateException("failing order " + id + " on purpose, after the insert");
            }
            if (first && n % 7 == 0) {
                context.setRollbackOnly();
            }
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
