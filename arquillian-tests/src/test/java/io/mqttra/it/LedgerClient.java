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
        // HTTP/1.1: the default HTTP/2 upgrade of a GET (h2c) once came back from Undertow as a frame
        // "exceeding MAX_FRAME_SIZE" for a ledger of some MB, failing the test on the transport
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().strip();
    }
}
