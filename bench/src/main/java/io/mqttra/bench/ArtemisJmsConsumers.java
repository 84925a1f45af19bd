package io.mqttra.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mqttra.bench.mdb.BenchCounters;
import io.mqttra.bench.mdb.TransactedMdb;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Artemis's side of the {@code mdb} scenario: its own MQTT → JMS consumer path, inside the Artemis
 * process over the in-VM connector, doing what the WildFly bench application's beans do.
 *
 * <p>MQTT topics {@code bench/mdb/plain/N} arrive at Artemis addresses {@code bench.mdb.plain.N};
 * each bean is a shared subscription on {@code bench.mdb.<bean>.#} with four consuming sessions, as
 * the beans have {@code maxSessions=4}. {@code plain} acknowledges automatically after reading the
 * body. {@code tx} inserts each message into an in-memory H2 table and commits the JDBC transaction,
 * then the JMS session's local transaction: Artemis embedded has no transaction manager, so this is
 * less work than WildFly's transacted bean, whose container runs a JTA transaction around it. The
 * same HTTP endpoint as the WildFly application reports the counts
 * ({@code GET/DELETE http://127.0.0.1:8080/bench-mdb/count?bean=plain|tx}); the consumers start
 * with the first request, so that the other scenarios measure Artemis without them.
 */
final class ArtemisJmsConsumers {

    private static final int SESSIONS_PER_BEAN = 4;
    private static final String DB_URL = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private Connection connection;

    private ArtemisJmsConsumers() {
    }

    /** Serves the count endpoint on 127.0.0.1:{@code httpPort}; the consumers use {@code vm://0}. */
    static HttpServer serve(int httpPort) throws IOException {
        ArtemisJmsConsumers consumers = new ArtemisJmsConsumers();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
        http.createContext("/bench-mdb/count", consumers::handle);
        http.start();
        return http;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            start();
            String bean = exchange.getRequestURI().getQuery() == null ? ""
                    : exchange.getRequestURI().getQuery().replaceFirst("^bean=", "");
            if (exchange.getRequestMethod().equals("DELETE")) {
                counts.values().forEach(LongAdder::reset);
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            LongAdder count = counts.get(bean);
            byte[] body = String.valueOf(count == null ? 0 : count.sum()).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (JMSException | SQLException e) {
            e.printStackTrace();
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private void start() throws JMSException, SQLException {
        if (connection != null) {
            return;
        }
        try (java.sql.Connection db = DriverManager.getConnection(DB_URL); Statement s = db.createStatement()) {
            s.execute(BenchCounters.CREATE_TABLE);
        }
        counts.put("plain", new LongAdder());
        counts.put("tx", new LongAdder());
        Connection c = new ActiveMQConnectionFactory("vm://0").createConnection();
        for (int i = 0; i < SESSIONS_PER_BEAN; i++) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer p = plain.createSharedConsumer(plain.createTopic("bench.mdb.plain.#"), "bench-plain");
            p.setMessageListener(m -> {
                try {
                    body(m);
                    counts.get("plain").increment();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            java.sql.Connection db = DriverManager.getConnection(DB_URL);
            db.setAutoCommit(false);
            PreparedStatement insert = db.prepareStatement(TransactedMdb.INSERT);
            MessageConsumer t = tx.createSharedConsumer(tx.createTopic("bench.mdb.tx.#"), "bench-tx");
            t.setMessageListener(m -> insertAndCommit(m, tx, db, insert));
        }
        c.start();
        connection = c;
    }

    private void insertAndCommit(Message m, Session session, java.sql.Connection db, PreparedStatement insert) {
        try {
            insert.setString(1, ((Topic) m.getJMSDestination()).getTopicName());
            insert.setBytes(2, body(m));
            insert.executeUpdate();
            db.commit();
            session.commit();
            counts.get("tx").increment();
        } catch (JMSException | SQLException e) {
            try {
                db.rollback();
                session.rollback();
            } catch (JMSException | SQLException again) {
                e.addSuppressed(again);
            }
            e.printStackTrace();
        }
    }

    private static byte[] body(Message m) throws JMSException {
        if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            return bytes;
        }
        return m.getBody(byte[].class);
    }
}
