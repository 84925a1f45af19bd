package io.mqttra.samples;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The latest readings TelemetryStoreMdb wrote, for an operator:
 * {@code curl -u demo:demo-Secret1 http://localhost:8080/mqtt-ra-samples/api/telemetry}.
 */
@Path("/telemetry")
@RequestScoped
public class TelemetryResource {

    @Resource(lookup = "java:comp/DefaultDataSource") // WildFly: ExampleDS; Liberty: the dataSource with id DefaultDataSource
    private DataSource database;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String latest(@QueryParam("limit") Integer limit) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = database.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT TOPIC, PAYLOAD, CLIENT_ID FROM TELEMETRY ORDER BY RECEIVED_AT DESC LIMIT ?")) {
            q.setInt(1, limit == null ? 20 : Math.max(1, Math.min(limit, 1000)));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.append(r.getString(1)).append(' ').append(r.getString(2)).append(' ').append(r.getString(3)).append('\n');
                }
            }
        }
        return out.toString();
    }
}
