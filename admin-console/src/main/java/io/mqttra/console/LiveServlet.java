package io.mqttra.console;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /api/live}: Server-Sent Events, one dashboard snapshot a second. */
@WebServlet(urlPatterns = "/api/live", asyncSupported = true)
public class LiveServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        LiveFeed feed = ConsoleLifecycle.feed(getServletContext());
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        AsyncContext stream = req.startAsync();
        stream.setTimeout(0);
        stream.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                feed.close(stream);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                feed.close(stream);
            }

            @Override
            public void onError(AsyncEvent event) {
                feed.close(stream);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        feed.open(stream);
    }
}
