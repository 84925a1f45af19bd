package io.mqttra.it.probe;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;

/** Lists the live threads the adapter owns (named mqtt-ra-*), so a client-side test can see them come and go. */
@WebServlet("/broker-threads")
public class BrokerThreadsServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print(Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("mqtt-ra-"))
                .sorted()
                .collect(Collectors.joining("\n")));
    }
}
