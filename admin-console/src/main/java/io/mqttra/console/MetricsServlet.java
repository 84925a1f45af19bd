package io.mqttra.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /metrics}: the adapter's figures in Prometheus's text format, read from the MXBeans on each scrape. */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private final MetricsCatalog catalog = new MetricsCatalog(new ManagedBroker());

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String body = PrometheusText.format(catalog.read());
        resp.setContentType(PrometheusText.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(body);
    }
}
