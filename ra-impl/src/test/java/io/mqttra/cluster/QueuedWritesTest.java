package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writes of messages on their way to persistent sessions, against a real one-member grid: bursts
 * from several publishers' threads at once are all written and each acknowledged once written, and a
 * stopped grid fails what waits instead of leaving its publishers waiting forever.
 */
class QueuedWritesTest {

    private HazelcastInstance member;
    private GridFutures futures;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        member = GridInstances.start(ClusterSettings.parse(ClusterSettings.EMBEDDED,
                "queued-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), "", "127.0.0.1", port, 1),
                getClass().getClassLoader());
        futures = new GridFutures();
    }

    @AfterEach
    void stop() {
        futures.close();
        if (member.getLifecycleService().isRunning()) {
            member.shutdown();
        }
    }

    @Test
    void everyMessageOfConcurrentBurstsIsWrittenBeforeItsFutureCompletes() throws Exception {
        IMap<String, byte[]> queued = member.getMap("mqttra.queued");
        QueuedWrites writes = new QueuedWrites(queued, futures);
        int publishers = 4;
        int each = 5_000;
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        // the futures may complete on a partition thread, where no grid operation may be called
        ExecutorService checker = Executors.newSingleThreadExecutor();
        List<CompletableFuture<Void>> written = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> notYetThere = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int p = 0; p < publishers; p++) {
                int publisher = p;
                threads.execute(() -> {
                    for (int i = 0; i < each; i++) {
                        String key = "node/" + publisher + "-" + i + "/client";
                        written.add(writes.set(key, value(key)).whenCompleteAsync((done, failed) -> {
                            // what a publisher's acknowledgement waits for: the entry is in the grid
                            if (failed != null || !queued.containsKey(key)) {
                                notYetThere.add(key);
                            }
                        }, checker));
                    }
                });
            }
        } finally {
            threads.shutdown();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        checker.shutdown();
        assertEquals(List.of(), notYetThere, "acknowledged before written");
        assertEquals(publishers * each, queued.size());
        for (int p = 0; p < publishers; p++) {
            String key = "node/" + p + "-" + (each - 1) + "/client";
            assertArrayEquals(value(key), queued.get(key));
        }
    }

    @Test
    void aStoppedGridFailsWhatWaitsInsteadOfLeavingItWaiting() throws Exception {
        QueuedWrites writes = new QueuedWrites(member.getMap("mqttra.queued"), futures);
        writes.set("node/1/a", value("a")).get(10, TimeUnit.SECONDS);
        member.shutdown();
        CompletableFuture<Void> afterStop = writes.set("node/2/a", value("b"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> afterStop.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RuntimeException, String.valueOf(e.getCause()));
    }

    private static byte[] value(String key) {
        return ("message for " + key).getBytes(StandardCharsets.UTF_8);
    }
}
