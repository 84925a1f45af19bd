package io.mqttra.console;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /api/live?open=<path>&open=...}: Server-Sent Events, one dashboard snapshot a second, and the topic
 * tree's levels below each {@code open} path (the page reconnects with another list when one is expanded). A stream never times out; the first
 * write after the browser went away fails, and {@link LiveFeed} drops the stream then.
 */
@WebServlet(urlPatterns = "/api/live", asyncSupported = true)
public class LiveServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        AsyncContext stream = req.startAsync();
        stream.setTimeout(0);
        ConsoleLifecycle.feed(getServletContext()).open(stream, OpenTopicTree.parse(req.getParameterValues("open")));
    }
}
