package io.mqttra.it.killnine;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The ledger's tables, for KillNineIT outside the server: POST creates them, GET lists them as text,
 * one row a line: {@code L <message id> <payload> <redelivered> <delivery count>} for LEDGER and
 * {@code S <message id> <payload> <delivery count>} for LEDGER_SKIPPED. The database file is the
 * server's while it runs, so the test reads it through here.
 */
@WebServlet("/ledger")
public class LedgerTables extends HttpServlet {

    public static final String DATASOURCE = "java:jboss/datasources/KillNineLedgerDS";

    @Resource(lookup = DATASOURCE)
    private DataSource ledger;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (Connection c = ledger.getConnection(); Statement s = c.createStatement()) {
            // no key on PAYLOAD: a message the broker took twice (two message ids) shows as two rows
            s.execute("CREATE TABLE IF NOT EXISTS LEDGER (MESSAGE_ID VARCHAR(100) PRIMARY KEY, PAYLOAD VARCHAR(100) NOT NULL,"
                    + " REDELIVERED BOOLEAN NOT NULL, DELIVERY_COUNT INT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS LEDGER_SKIPPED (MESSAGE_ID VARCHAR(100) NOT NULL, PAYLOAD VARCHAR(100) NOT NULL,"
                    + " DELIVERY_COUNT INT NOT NULL)");
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        try (Connection c = ledger.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT MESSAGE_ID, PAYLOAD, REDELIVERED, DELIVERY_COUNT FROM LEDGER")) {
                while (r.next()) {
                    out.println("L " + r.getString(1) + " " + r.getString(2) + " " + r.getBoolean(3) + " " + r.getInt(4));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT MESSAGE_ID, PAYLOAD, DELIVERY_COUNT FROM LEDGER_SKIPPED")) {
                while (r.next()) {
                    out.println("S " + r.getString(1) + " " + r.getString(2) + " " + r.getInt(3));
                }
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
