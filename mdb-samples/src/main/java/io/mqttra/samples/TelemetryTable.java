package io.mqttra.samples;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates the TELEMETRY table in the server's example database when the application starts. */
@Singleton
@Startup
public class TelemetryTable {

    @Resource(lookup = "java:comp/DefaultDataSource") // WildFly: ExampleDS; Liberty: the dataSource with id DefaultDataSource
    private DataSource database;

    @PostConstruct
    void create() {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS TELEMETRY (TOPIC VARCHAR(1024), PAYLOAD VARCHAR(4096), "
                    + "CLIENT_ID VARCHAR(256), RECEIVED_AT TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the TELEMETRY table", e);
        }
    }
}
