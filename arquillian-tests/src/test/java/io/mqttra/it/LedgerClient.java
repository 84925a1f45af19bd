package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The ledger bean's tables (killnine.LedgerTables) seen from the test, over HTTP: the database file is its server's. */
final class LedgerClient {

    private LedgerClient() {
    }

    /** Creates the tables (once per database). */
    static void createTables(URI ledger) throws Exception {
        http(HttpRequest.newBuilder(ledger).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The rows, one a line, as LedgerTables lists them. */
    static List<String> rows(URI ledger) throws Exception {
        String body = http(HttpRequest.newBuilder(ledger).GET());
        return body.isEmpty() ? List.of() : List.of(body.split("\\R"));
    }

    private static String http(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().strip();
    }
}
