package io.mqttra.it.killnine;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * The pattern a bean copies to stay exactly-once across a crash of the server: it writes each message
 * in the delivery's transaction together with its {@code JMSMessageID}, and when a message comes
 * marked redelivered it first looks that id up and skips the message if its row is there.
 * <p>
 * Why: the adapter forgets a message after the bean's transaction commits, so a crash between that
 * commit and the adapter's write brings the message again, with {@code JMSRedelivered=true} and the
 * same {@code JMSMessageID}. Only redeliveries need the look-up; the primary key on the id is the belt
 * to those braces. A skipped redelivery is written to LEDGER_SKIPPED (in the same transaction) so that
 * KillNineIT can count them.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/kill/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "2"),
    @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
    @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "kill-nine-ledger"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    // far above what the test publishes: an overflow would drop acknowledged messages by design
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "50000"),
})
@ResourceAdapter("mqtt-ra.rar")
@TransactionAttribute(TransactionAttributeType.REQUIRED)
@PermitAll
public class LedgerMdb implements MessageListener {

    /** Defined by WEB-INF/ledger-ds.xml: a JTA datasource on WildFly's h2 driver, in a file. */
    @Resource(lookup = LedgerTables.DATASOURCE)
    private DataSource ledger;

    @Override
    public void onMessage(Message message) {
        try (Connection c = ledger.getConnection()) {
            String id = message.getJMSMessageID();
            String payload = message.getBody(String.class);
            int deliveryCount = message.getIntProperty("JMSXDeliveryCount");
            if (message.getJMSRedelivered() && isWritten(c, id)) {
                try (PreparedStatement skipped = c.prepareStatement(
                        "INSERT INTO LEDGER_SKIPPED (MESSAGE_ID, PAYLOAD, DELIVERY_COUNT) VALUES (?, ?, ?)")) {
                    skipped.setString(1, id);
                    skipped.setString(2, payload);
                    skipped.setInt(3, deliveryCount);
                    skipped.executeUpdate();
                }
                return;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO LEDGER (MESSAGE_ID, PAYLOAD, REDELIVERED, DELIVERY_COUNT) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, payload);
                insert.setBoolean(3, message.getJMSRedelivered());
                insert.setInt(4, deliveryCount);
                insert.executeUpdate();
            }
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e); // rolls back: the message comes again
        }
    }

    private static boolean isWritten(Connection c, String messageId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM LEDGER WHERE MESSAGE_ID = ?")) {
            q.setString(1, messageId);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }
}
