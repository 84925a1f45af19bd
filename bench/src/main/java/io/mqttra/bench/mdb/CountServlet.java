package io.mqttra.bench.mdb;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** GET /count?bean=plain|tx: processed so far; DELETE /count: start again from zero. */
@WebServlet("/count")
public class CountServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print(BenchCounters.get(req.getParameter("bean")));
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) {
        BenchCounters.reset();
        resp.setStatus(204);
    }
}
