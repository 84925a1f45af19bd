package io.mqttra.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.MessageStore.StoredQueue;
import io.mqttra.broker.PublishedMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable-queue store: what is added and not removed is there after a clean stop and after a kill -9. */
class MvMessageStoreTest {

    @TempDir
    Path dir;

    static StoredMessage message(long id, String text) {
        PublishedMessage m = new PublishedMessage("sensors/" + id, text.getBytes(StandardCharsets.UTF_8), 1, false, "dev-" + id,
                "user", 1_700_000_000_000L + id, new PublishedMessage.Mqtt5Properties(true, 60L, "text/plain", "replies/x",
                        new byte[] {1, 2}, List.of(Map.entry("unit", "C"), Map.entry("unit", "F"))));
        return new StoredMessage(id, m, 1, false, 1, "ID:test-" + id);
    }

    @Test
    void keepsWhatIsNotSettledAcrossACleanRestartWithEveryField() throws Exception {
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            assertFalse(store.recoveredAfterCrash());
            assertTrue(store.queues().isEmpty());
            store.defineQueue("orders", Map.of("filter", "sensors/#", "qos", "1"));
            List<CompletableFuture<Void>> written = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                written.add(store.add("orders", message(id, "m" + id)));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (long id = 1; id <= 40; id++) {
                store.remove("orders", id);
            }
            store.defineQueue("gone", Map.of("filter", "x"));
            store.add("gone", message(1, "x")).get(10, TimeUnit.SECONDS);
            store.dropQueue("gone");
        }
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            assertFalse(store.recoveredAfterCrash(), "closed cleanly");
            assertEquals(1, store.queues().size(), "the dropped queue is gone");
            StoredQueue q = store.queues().get(0);
            assertEquals("orders", q.name());
            assertEquals("sensors/#", q.definition().get("filter"));
            assertEquals(60, q.messages().size());
            assertEquals(41, q.messages().get(0).id(), "in order, settled ones gone");
            StoredMessage expected = message(41, "m41");
            StoredMessage got = q.messages().get(0);
            assertEquals(expected.message().topic(), got.message().topic());
            assertArrayEquals(expected.message().payload(), got.message().payload());
            assertEquals(expected.message().publisherClientId(), got.message().publisherClientId());
            assertEquals(expected.message().timestamp(), got.message().timestamp());
            assertEquals(expected.message().properties().userProperties(), got.message().properties().userProperties());
            assertEquals("replies/x", got.message().properties().responseTopic());
            assertArrayEquals(new byte[] {1, 2}, got.message().properties().correlationData());
            assertEquals(60L, got.message().properties().messageExpirySeconds());
            assertEquals(Boolean.TRUE, got.message().properties().payloadFormatUtf8());
            assertEquals("ID:test-41", got.messageId(), "a redelivery after a restart keeps the message's JMSMessageID");
        }
    }

    @Test
    void aMessageWrittenInTheFirstFormatIsStillRead() {
        byte[] current = StoredMessageCodec.encode(new StoredMessage(7, message(7, "old").message(), 1, false, 2, null));
        // format 1 is format 2 without the message id at the end (a null string: length -1, four bytes)
        byte[] first = java.util.Arrays.copyOf(current, current.length - 4);
        first[0] = 1;
        StoredMessage read = StoredMessageCodec.decode(first);
        assertEquals(7, read.id());
        assertEquals(2, read.deliveryCount());
        assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), read.message().payload());
        assertEquals(null, read.messageId(), "format 1 had none: a new one is drawn when it is delivered");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedWithTheFileNamed() throws Exception {
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> MvMessageStore.open(dir));
            assertTrue(e.getMessage().contains(MvMessageStore.FILE_NAME), e.getMessage());
        }
    }

    /** Every message whose future completed before the process was killed (SIGKILL) is there afterwards. */
    @Test
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long confirmed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("stored ")) {
                    confirmed = Long.parseLong(line.substring(7));
                    if (confirmed >= 2000) {
                        break;
                    }
                }
            }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertTrue(confirmed >= 2000, "the writer confirmed " + confirmed);
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            assertTrue(store.recoveredAfterCrash(), "the killed run did not close the store");
            List<StoredMessage> kept = store.queues().get(0).messages();
            assertTrue(kept.size() >= confirmed, "confirmed " + confirmed + ", found " + kept.size());
            for (int i = 0; i < confirmed; i++) {
                assertEquals(i + 1, kept.get(i).id(), "no gap among confirmed messages");
            }
        }
    }

    /** Writes messages without end, printing how many are confirmed on disk; killed by the test. */
    public static final class StoreWriterProcess {
        public static void main(String[] args) throws Exception {
            MvMessageStore store = MvMessageStore.open(Path.of(args[0]));
            store.defineQueue("q", Map.of("filter", "#"));
            for (long id = 1; ; id++) {
                CompletableFuture<Void> f = store.add("q", message(id, "payload " + id));
                if (id % 100 == 0) {
                    f.get(10, TimeUnit.SECONDS); // a confirmation covers every earlier add too
                    System.out.println("stored " + id);
                    System.out.flush();
                }
            }
        }
    }

    /**
     * The callers are the broker's I/O threads: an MVMap write may itself serialise and commit a chunk when
     * much is unsaved, which must not happen on an event loop. A sampler watches the calling thread's stack
     * while it adds and removes 64 MB: it must never be inside H2's code.
     */
    @Test
    void addAndRemoveNeverRunStoreCodeOnTheCallersThread() throws Exception {
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            store.defineQueue("big", Map.of("filter", "x"));
            List<CompletableFuture<Void>> written = new ArrayList<>();
            Set<String> storeFrames = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger samples = new AtomicInteger();
            Thread caller = new Thread(() -> {
                for (long id = 1; id <= 4096; id++) {
                    written.add(store.add("big", bigMessage(id)));
                    if (id % 2 == 0) {
                        store.remove("big", id - 1);
                    }
                }
                done.countDown();
            }, "caller");
            Thread sampler = new Thread(() -> {
                while (done.getCount() > 0) {
                    for (StackTraceElement frame : caller.getStackTrace()) {
                        if (frame.getClassName().startsWith("org.h2.")) {
                            storeFrames.add(frame.getClassName() + "." + frame.getMethodName());
                        }
                    }
                    samples.incrementAndGet();
                    Thread.onSpinWait();
                }
            }, "sampler");
            caller.start();
            sampler.start();
            assertTrue(done.await(60, TimeUnit.SECONDS), "the adds returned");
            sampler.join();
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertTrue(samples.get() > 10, "the sampler looked " + samples.get() + " times");
            assertTrue(storeFrames.isEmpty(), "the caller ran the store's code: " + storeFrames);
        }
        try (MvMessageStore store = MvMessageStore.open(dir)) {
            assertEquals(2048, store.queues().get(0).messages().size(), "every other message was removed, in order with its add");
        }
    }

    @Test
    void syncWritesForcesEachGroupToTheDeviceBeforeItCountsAsWritten() throws Exception {
        RecordingFilePath.reset();
        try (MvMessageStore store = MvMessageStore.open(dir, RecordingFilePath.PREFIX, true)) {
            store.defineQueue("q", Map.of("filter", "x"));
            for (long id = 1; id <= 20; id++) {
                long before = RecordingFilePath.FORCES.get();
                store.add("q", message(id, "m" + id)).get(10, TimeUnit.SECONDS);
                assertTrue(RecordingFilePath.FORCES.get() > before, "message " + id + " acknowledged before an fsync");
            }
        }
        RecordingFilePath.reset();
        try (MvMessageStore store = MvMessageStore.open(dir, RecordingFilePath.PREFIX, false)) {
            long before = RecordingFilePath.FORCES.get();
            for (long id = 21; id <= 40; id++) {
                store.add("q", message(id, "m" + id)).get(10, TimeUnit.SECONDS);
            }
            assertEquals(before, RecordingFilePath.FORCES.get(), "without syncWrites nothing is forced while running");
            assertEquals(20, store.queues().get(0).messages().size());
        }
    }

    private static StoredMessage bigMessage(long id) {
        StoredMessage m = message(id, "x");
        byte[] payload = new byte[16 * 1024];
        payload[0] = (byte) id;
        PublishedMessage p = m.message();
        return new StoredMessage(id, new PublishedMessage(p.topic(), payload, 1, false, p.publisherClientId(), p.publisherUserName(),
                p.timestamp(), p.properties()), 1, false, 1, m.messageId());
    }
}
