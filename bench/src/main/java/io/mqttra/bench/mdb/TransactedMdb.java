package io.mqttra.bench.mdb;

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

/**
 * Transacted (the container's JTA transaction, settled with it): inserts each message into H2, the server's default
 * data source (ExampleDS on WildFly), then counts it.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "bench/mdb/tx/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "1000000"),
})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
@PermitAll
public class TransactedMdb implements MessageListener {

    /** A compile-time constant: Artemis's consumers (outside any server) insert the same way. */
    public static final String INSERT = "INSERT INTO BENCH_MDB (TOPIC, PAYLOAD) VALUES (?, ?)";

    @Resource(lookup = "java:comp/DefaultDataSource")
    private DataSource db;

    @Override
    public void onMessage(Message message) {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, ((Topic) message.getJMSDestination()).getTopicName());
            insert.setBytes(2, message.getBody(byte[].class));
            insert.executeUpdate();
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e);
        }
        BenchCounters.count("tx");
    }
}
