package io.mqttra.console;

import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.PrivilegedAction;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * {@code POST /api/clients/disconnect?clientId=}, {@code /api/dead-letters/replay?messageId=},
 * {@code /api/dead-letters/purge?topic=}: the dashboard's buttons, each one MXBean operation, which logs the
 * logged-in user as the administrator.
 * <p>
 * Against cross-site request forgery every POST must carry the header {@value #CSRF_HEADER}: a page of another
 * site cannot add a custom header to a request here (it would need a CORS preflight this application never
 * grants), while an HTML form of that site could post with the browser's remembered login.
 */
@WebServlet("/api/*")
public class ActionServlet extends HttpServlet {

    static final String CSRF_HEADER = "X-MQTT-RA-Console";

    private final ManagedBroker adapter = new ManagedBroker();

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getHeader(CSRF_HEADER) == null) {
            resp.sendError(HttpServletResponse.SC_FORBIDDEN, "the header " + CSRF_HEADER + " is required");
            return;
        }
        if (!adapter.running()) {
            resp.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the adapter is not running");
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        Object result;
        try {
            result = asLoggedInUser(req, () -> switch (path) {
                case "/clients/disconnect" -> adapter.clients().disconnect(required(req, "clientId"));
                case "/dead-letters/replay" -> adapter.deadLetters().replay(required(req, "messageId"));
                case "/dead-letters/purge" -> adapter.deadLetters().purge(req.getParameter("topic"));
                default -> null;
            });
        } catch (IllegalArgumentException e) {
            resp.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        if (result == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, path);
            return;
        }
        resp.setContentType("application/json");
        resp.getWriter().write(Json.createObjectBuilder().add("result", result.toString()).build().toString());
    }

    /**
     * Runs an operation as the JMX Subject of the logged-in user, which the adapter's operation log names as the
     * administrator (a servlet's own security identity is not visible to it).
     */
    @SuppressWarnings("removal") // Subject.callAs is Java 18+; the adapter reads the Subject both ways
    private static Object asLoggedInUser(HttpServletRequest req, PrivilegedAction<Object> operation) {
        Subject subject = new Subject(true, Set.of(req.getUserPrincipal()), Set.of(), Set.of());
        return Subject.doAs(subject, operation);
    }

    private static String required(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the parameter " + name + " is required");
        }
        return value;
    }
}
