package io.mqttra.store;

import io.mqttra.broker.MessageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * A {@link MessageStore} in one H2 MVStore file. One writer thread applies every change, in the order
 * they were asked for, commits them and then completes the futures of the additions together (group
 * commit): a commit costs about a tenth of a millisecond and writes a chunk, so committing each message
 * alone would cost throughput and bloat the file, while grouping keeps both small under load. Callers,
 * which are the broker's I/O threads, only queue a change: an MVMap write may itself commit to the file
 * when much is unsaved, and that must not happen on an event loop.
 *
 * <p>By default a commit is written to the file, not forced to the device: it survives the server process
 * being killed, and an operating-system crash or power loss can take the last moments' writes with it
 * (the same trade as Mosquitto's and Moquette's defaults). With {@code syncWrites} every group is forced
 * to the device ({@code fsync}) before its futures complete, so what was acknowledged survives a power
 * loss too, at the price of one {@code fsync} per group.
 */
public final class MvMessageStore implements MessageStore {

    private static final Logger LOG = Logger.getLogger(MvMessageStore.class.getName());
    static final String FILE_NAME = "durable-queues.mv.db";
    private static final String QUEUE_PREFIX = "queue:";
    private static final String KEPT_PREFIX = "kept:";
    private static final long IDLE_COMMIT_MILLIS = 200;

    private final Path file;
    private final boolean syncWrites;
    private final MVStore store;
    private final MVMap<String, byte[]> definitions;
    private final MVMap<String, String> state;
    private final Map<String, MVMap<Long, byte[]>> queueMaps = new ConcurrentHashMap<>();
    private final List<StoredQueue> recovered;
    private final boolean recoveredAfterCrash;
    private final Object lock = new Object();
    private final Thread writer;
    /** Changes not applied yet, in the order they were asked for; guarded by {@link #lock}. */
    private List<Runnable> changes = new ArrayList<>();
    private CompletableFuture<Void> batch = new CompletableFuture<>();
    private boolean batchUsed;
    private boolean closing;

    private MvMessageStore(Path file, MVStore store, boolean syncWrites) {
        this.file = file;
        this.store = store;
        this.syncWrites = syncWrites;
        this.definitions = store.openMap("definitions");
        this.state = store.openMap("state");
        this.recoveredAfterCrash = "running".equals(state.get("run"));
        List<StoredQueue> queues = new ArrayList<>();
        for (Map.Entry<String, byte[]> d : definitions.entrySet()) {
            List<StoredMessage> messages = new ArrayList<>();
            for (byte[] m : queueMap(d.getKey()).values()) {
                messages.add(StoredMessageCodec.decode(m));
            }
            queues.add(new StoredQueue(d.getKey(), StoredMessageCodec.decodeDefinition(d.getValue()), List.copyOf(messages)));
        }
        this.recovered = List.copyOf(queues);
        state.put("run", "running");
        store.commit();
        this.writer = new Thread(this::writeLoop, "mqtt-ra-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (or creates) the store in {@code directory}, without forcing writes to the device. */
    public static MvMessageStore open(Path directory) throws IOException {
        return open(directory, false);
    }

    /**
     * Opens (or creates) the store in {@code directory}.
     *
     * @param syncWrites whether each group of writes is forced to the device before it counts as written
     * @throws IOException when the directory cannot be created or the file cannot be opened, e.g. because
     *     another process or adapter instance has it open
     */
    public static MvMessageStore open(Path directory, boolean syncWrites) throws IOException {
        return open(directory, "", syncWrites);
    }

    /** {@code fileSystem} is an H2 file-system prefix such as {@code "nio:"} (empty for the default). */
    static MvMessageStore open(Path directory, String fileSystem, boolean syncWrites) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        try {
            return new MvMessageStore(file, new MVStore.Builder().fileName(fileSystem + file).open(), syncWrites);
        } catch (MVStoreException | IllegalStateException e) {
            throw new IOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    private MVMap<Long, byte[]> queueMap(String name) {
        return queueMaps.computeIfAbsent(name, n -> store.openMap(QUEUE_PREFIX + n));
    }

    @Override
    public List<StoredQueue> queues() {
        return recovered;
    }

    @Override
    public boolean recoveredAfterCrash() {
        return recoveredAfterCrash;
    }

    @Override
    public void defineQueue(String name, Map<String, String> definition) {
        byte[] encoded = StoredMessageCodec.encodeDefinition(definition);
        change(() -> {
            definitions.put(name, encoded);
            queueMap(name);
        });
    }

    @Override
    public CompletableFuture<Void> add(String queue, StoredMessage message) {
        byte[] encoded = StoredMessageCodec.encode(message);
        // applied before the commit that completes this batch, since both happen in the writer's next round
        return change(() -> queueMap(queue).put(message.id(), encoded));
    }

    @Override
    public void remove(String queue, long id) {
        change(() -> {
            MVMap<Long, byte[]> map = queueMaps.get(queue);
            if (map != null) {
                map.remove(id);
            }
        });
    }

    @Override
    public void dropQueue(String name) {
        change(() -> {
            definitions.remove(name);
            MVMap<Long, byte[]> map = queueMaps.remove(name);
            if (map != null) {
                store.removeMap(map);
            } else if (store.hasMap(QUEUE_PREFIX + name)) {
                store.removeMap(QUEUE_PREFIX + name);
            }
        });
    }

    @Override
    public KeptMap keptMap(String name) {
        MVMap<String, byte[]> map = store.openMap(KEPT_PREFIX + name);
        return new KeptMap() {
            @Override
            public Map<String, byte[]> entries() {
                return new HashMap<>(map);
            }

            @Override
            public CompletableFuture<Void> put(String key, byte[] value) {
                return change(() -> map.put(key, value));
            }

            @Override
            public void remove(String key) {
                change(() -> map.remove(key));
            }
        };
    }

    /** Queues a change for the writer; the future completes when the change is committed (and forced, with syncWrites). */
    private CompletableFuture<Void> change(Runnable change) {
        synchronized (lock) {
            if (closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("the message store " + file + " is closed"));
            }
            changes.add(change);
            batchUsed = true;
            lock.notifyAll();
            return batch;
        }
    }

    private void writeLoop() {
        while (true) {
            CompletableFuture<Void> done = null;
            List<Runnable> toApply = List.of();
            boolean last;
            synchronized (lock) {
                if (!batchUsed && !closing) {
                    try {
                        lock.wait(IDLE_COMMIT_MILLIS); // every change wakes the writer; the timeout retries a failed commit
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (batchUsed) {
                    done = batch;
                    batch = new CompletableFuture<>();
                    batchUsed = false;
                    toApply = changes;
                    changes = new ArrayList<>();
                }
                last = closing;
            }
            try {
                applyAll(toApply);
                if (store.hasUnsavedChanges()) {
                    store.commit();
                    if (syncWrites) {
                        store.sync();
                    }
                }
                if (done != null) {
                    done.complete(null);
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "MQTT-RA could not write to its message store " + file, e);
                if (done != null) {
                    done.completeExceptionally(e);
                }
            }
            if (last) {
                return;
            }
        }
    }

    /** Applies every change even when one fails, then throws the first failure. */
    private static void applyAll(List<Runnable> changes) {
        RuntimeException failure = null;
        for (Runnable change : changes) {
            try {
                change.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            batch.completeExceptionally(new IllegalStateException("the message store " + file + " closed"));
        }
        state.put("run", "closed");
        store.close();
    }
}
