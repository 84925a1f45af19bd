package io.mqttra.bench.mdb;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * How many messages each benchmark bean has processed; creates the table the transacted bean writes.
 * SUPPORTS: counting must not start a transaction of its own for each message of the non-transacted
 * bean (the profile showed that as half of its delivery time), and joins the transacted bean's.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class BenchCounters {

    /** A compile-time constant: Artemis's consumers (outside any server) create the same table. */
    public static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS BENCH_MDB (ID BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " TOPIC VARCHAR(256), PAYLOAD VARBINARY(4096))";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Resource(lookup = "java:jboss/datasources/ExampleDS")
    private DataSource db;

    @PostConstruct
    void createTable() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(CREATE_TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void count(String bean) {
        counts.computeIfAbsent(bean, b -> new LongAdder()).increment();
    }

    public long get(String bean) {
        LongAdder a = counts.get(bean);
        return a == null ? 0 : a.sum();
    }

    public void reset() {
        counts.clear();
    }
}
