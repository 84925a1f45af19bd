package io.mqttra.bench.mdb;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * How many messages each benchmark bean has processed; creates the table the transacted bean writes.
 * The counts are static and counted without an EJB call: a call to this bean per message was a quarter
 * of the plain bean's delivery time in the profile, work that Artemis's consumers, which count in a
 * plain object, do not do. The bench measures delivery into a bean, not a second EJB invocation.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BenchCounters {

    /** A compile-time constant: Artemis's consumers (outside any server) create the same table. */
    public static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS BENCH_MDB (ID BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " TOPIC VARCHAR(256), PAYLOAD VARBINARY(4096))";

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    // the default data source: WildFly binds its ExampleDS there, Liberty the dataSource DefaultDataSource
    @Resource(lookup = "java:comp/DefaultDataSource")
    private DataSource db;

    @PostConstruct
    void createTable() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(CREATE_TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the non-transacted beans do with a message: read its body, and count it. */
    public static void readAndCount(Message message, String bean) {
        try {
            message.getBody(byte[].class);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        count(bean);
    }

    public static void count(String bean) {
        COUNTS.computeIfAbsent(bean, b -> new LongAdder()).increment();
    }

    public static long get(String bean) {
        LongAdder a = COUNTS.get(bean);
        return a == null ? 0 : a.sum();
    }

    public static void reset() {
        COUNTS.clear();
    }
}
