package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ClientInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page of {@code Clients.list} copies that page, not every session: the first page of 20,000 sessions
 * allocates what it did with 200, and a page further on adds a reference per session before it, not a
 * snapshot of each (measured in bytes the calling thread allocated, not in time); the pages stay in
 * client-id order, although the registry is a hash map (#20: a CONNECT does not pay a sorted index).
 */
class ClientsPagingTest {

    private static final int FEW = 200;
    private static final int MANY = 20_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AdapterUnderTest adapter;
    private ClientsBean clients;

    @BeforeEach
    void start() throws Exception {
        // the sessions come from one address, faster than a device fleet would
        adapter = new AdapterUnderTest(null, ra -> ra.setMaxConnectionsPerSecondPerAddress(0));
        clients = new ClientsBean(adapter.ra.broker());
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    @Test
    void aPageCostsTheSameWith20000SessionsAsWith200() throws Exception {
        openOfflineSessions(0, FEW);
        long firstPageFew = allocatedBy(() -> clients.list(null, false, 0, 100));
        long lastPageFew = allocatedBy(() -> clients.list(null, false, FEW - 100, 100));

        openOfflineSessions(FEW, MANY);
        assertEquals(MANY, clients.getSessionCount());
        long firstPageMany = allocatedBy(() -> clients.list(null, false, 0, 100));
        long middlePageMany = allocatedBy(() -> clients.list(null, false, MANY / 2, 100));

        String figures = "bytes allocated by a page of 100: first of " + FEW + " " + firstPageFew + ", last of " + FEW + " "
                + lastPageFew + "; first of " + MANY + " " + firstPageMany + ", middle of " + MANY + " " + middlePageMany;
        System.out.println(figures);
        // a copy of 20,000 sessions' snapshots would be megabytes; the page's own rows are ~100 KB either way
        assertTrue(firstPageMany < firstPageFew * 3 / 2 + 16 * 1024, figures);
        // skipping 10,000 sessions costs their references in the page's heap, its growth and its sort (about
        // 24 B each, 240 KB); a snapshot of each would be several MB
        assertTrue(middlePageMany < lastPageFew * 3 / 2 + (MANY / 2) * 32, "skipping 10,000 sessions copies none of them; " + figures);
    }

    @Test
    void pagesOfManySessionsFollowOneAnotherInClientIdOrder() throws Exception {
        openOfflineSessions(0, 2_000);
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 2_000; offset += 300) {
            paged.addAll(Arrays.stream(clients.list(null, false, offset, 300)).map(ClientInfo::clientId).toList());
        }
        assertEquals(IntStream.range(0, 2_000).mapToObj(ClientsPagingTest::id).toList(), paged);
        assertEquals(List.of(id(1_500), id(1_501)), Arrays.stream(clients.list("s01*", false, 500, 2))
                .map(ClientInfo::clientId).toList(), "a pattern pages over the sessions it matches");
        assertEquals(0, clients.list(null, true, 0, 10).length, "none is connected");
    }

    /** The least of a few calls' allocations, after a warm-up: what the page itself needs. */
    private static long allocatedBy(Supplier<ClientInfo[]> page) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            ClientInfo[] rows = page.get();
            long used = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertEquals(100, rows.length);
            least = Math.min(least, used);
        }
        return least;
    }

    private static String id(int n) {
        return String.format("s%05d", n);
    }

    /**
     * Sessions {@code from} to {@code to} (exclusive), each left offline by an MQTT 3.1.1 client that
     * connected with cleanSession=0 and sent DISCONNECT; the server closes first, so the client's
     * ports do not linger in TIME_WAIT.
     */
    private void openOfflineSessions(int from, int to) throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", adapter.port());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = from + t;
                work.add(pool.submit(() -> {
                    for (int n = first; n < to; n += 4) {
                        connectAndLeave(address, id(n));
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void connectAndLeave(InetSocketAddress address, String clientId) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0 /* cleanSession=0 */, 0, 60});
            body.write(id.length >> 8);
            body.write(id.length);
            body.writeBytes(id);
            out.write(0x10);
            out.write(body.size()); // < 128: one length byte
            body.writeTo(out);
            out.flush();
            byte[] connack = new byte[4];
            in.readFully(connack);
            if (connack[0] != 0x20 || connack[3] != 0) {
                throw new IOException(clientId + " was refused: " + Arrays.toString(connack));
            }
            out.write(new byte[] {(byte) 0xE0, 0});
            out.flush();
            while (in.read() >= 0) {
                // until the server closes
            }
        }
    }
}
