package io.mqttra.it.admin;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Inside the server: reads an MXBean attribute from the platform MBean server, without any of the
 * adapter's classes (open types only), and shows or changes {@link OrdersState}.
 * {@code /admin-probe/mbean?name=io.mqttra:type=Broker&attribute=MessagesReceived}: the value, or for
 * composite values one line per element, {@code key=value} pairs in key order.
 */
@WebServlet("/admin-probe/*")
public class AdminProbeServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String what = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (what) {
            case "/mbean" -> {
                try {
                    Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(
                            new ObjectName(req.getParameter("name")), req.getParameter("attribute"));
                    resp.getWriter().print(format(value));
                } catch (JMException e) {
                    resp.sendError(404, e.toString());
                }
            }
            case "/processed" -> resp.getWriter().print(String.join("\n", OrdersState.PROCESSED));
            case "/cure" -> OrdersState.CURED.set(true);
            default -> resp.sendError(404, what);
        }
    }

    private static String format(Object value) {
        if (value instanceof CompositeData[] all) {
            return Arrays.stream(all).map(AdminProbeServlet::format).collect(Collectors.joining("\n"));
        }
        if (value instanceof CompositeData c) {
            return new TreeSet<>(c.getCompositeType().keySet()).stream().map(k -> k + "=" + c.get(k))
                    .collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
