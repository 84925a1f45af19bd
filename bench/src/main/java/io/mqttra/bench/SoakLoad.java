package io.mqttra.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak scenario's mixed load, from start until {@link #stop}: three publishers (QoS 0, 1 and 2)
 * at a fixed total rate to {@code soak/data/<qos>}; three subscribers of {@code soak/data/#} (QoS 0,
 * 1 and 2) that must miss nothing they were promised; two slow consumers (QoS 0 and 1) that stop
 * reading for {@value #SLOW_PAUSE_SECONDS} s at a time; {@value #CHURN_PER_SECOND} clients a second
 * that connect, subscribe, get their own QoS 1 message back, set or clear a retained message and
 * disconnect; {@value #WILLS_PER_SECOND} a second that connect with a will and are dropped without
 * DISCONNECT; and {@value #PERSISTENT} persistent sessions that come and go, getting what was queued
 * while they were away. What must arrive is counted; {@link #problems()} says what did not.
 */
final class SoakLoad {

    static final int SLOW_PAUSE_SECONDS = 5;
    static final int CHURN_PER_SECOND = 10;
    static final int WILLS_PER_SECOND = 2;
    static final int PERSISTENT = 20;
    /** Retained topics the churn sets and clears, so the retained store stays bounded. */
    static final int RETAINED_TOPICS = 500;
    private static final int PAYLOAD_BYTES = 128;
    /** Unacknowledged QoS 1/2 messages per publisher: the broker's speed, not its queue depth, sets the pace. */
    private static final int WINDOW = 100;

    private final BrokerUnderTest broker;
    private final int ratePerSecond;
    private final String prefix;
    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("soak-client", true));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, new DefaultThreadFactory("soak-timer", true));
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> publishers = new ArrayList<>();
    private final List<SoakClient> steady = new ArrayList<>();
    private final List<SoakClient> slow = new ArrayList<>();
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** By publisher QoS: messages sent, and those the broker took over (QoS 0: written). */
    final LongAdder[] published = {new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder[] acknowledged = {new LongAdder(), new LongAdder(), new LongAdder()};
    /** [subscriber QoS][publisher QoS]: messages the steady subscribers received. */
    final LongAdder[][] received = new LongAdder[3][3];
    /** Sequence numbers of QoS 2 messages the QoS 2 subscriber received: a second one is a duplicate. */
    private final BitSet exactlyOnce = new BitSet();
    final LongAdder duplicates = new LongAdder();
    /** By the slow consumer's QoS (0, 1). */
    final LongAdder[] slowReceived = {new LongAdder(), new LongAdder()};
    final LongAdder connects = new LongAdder();
    final LongAdder roundTripsMissed = new LongAdder();
    final LongAdder retainedSet = new LongAdder();
    final LongAdder retainedCleared = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder willsReceived = new LongAdder();
    final LongAdder persistentReceived = new LongAdder();
    final LongAdder failures = new LongAdder();
    /** Numbers the short-lived clients' ids. */
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong lastSteadyReceive = new AtomicLong(System.nanoTime());
    private final ConcurrentHashMap<Integer, SoakClient> persistentOnline = new ConcurrentHashMap<>();

    /** Starts every part of the load; {@code prefix} keeps client ids apart from an earlier load's. */
    SoakLoad(BrokerUnderTest broker, int ratePerSecond, String prefix) throws Exception {
        this.broker = broker;
        this.ratePerSecond = ratePerSecond;
        this.prefix = prefix;
        for (int s = 0; s < 3; s++) {
            for (int p = 0; p < 3; p++) {
                received[s][p] = new LongAdder();
            }
        }
        SoakClient will = connect(prefix + "will-watcher", true, null, (t, b, q, r) -> willsReceived.increment());
        will.subscribe("soak/will/#", 1);
        steady.add(will);
        for (int q = 0; q < 3; q++) {
            int subQos = q;
            SoakClient s = connect(prefix + "sub-" + q, true, null, (t, b, pubQos, r) -> steadyReceived(subQos, b));
            s.subscribe("soak/data/#", q);
            steady.add(s);
        }
        for (int q = 0; q < 2; q++) {
            int slowQos = q;
            SoakClient s = connect(prefix + "slow-" + q, true, null, (t, b, pubQos, r) -> slowReceived[slowQos].increment());
            s.subscribe("soak/data/#", q);
            slow.add(s);
        }
        timers.scheduleAtFixedRate(this::toggleSlowConsumers, SLOW_PAUSE_SECONDS, SLOW_PAUSE_SECONDS, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(this::churn, 0, 1000 / CHURN_PER_SECOND, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::dropWithWill, 0, 1000 / WILLS_PER_SECOND, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::persistentSessions, 0, 500, TimeUnit.MILLISECONDS);
        for (int q = 0; q < 3; q++) {
            SoakClient c = connect(prefix + "pub-" + q, true, null, (t, b, pubQos, r) -> { });
            steady.add(c);
            int qos = q;
            Thread t = new Thread(() -> publish(c, qos), "soak-publisher-" + q);
            t.setDaemon(true);
            t.start();
            publishers.add(t);
        }
    }

    private SoakClient connect(String id, boolean clean, SoakClient.Will will, SoakClient.Listener listener) throws Exception {
        SoakClient c = SoakClient.connect(group, broker.port, id, clean, will, listener);
        connects.increment();
        return c;
    }

    /** A third of the rate at the publisher's QoS; payload: its QoS, its sequence number, padding. */
    private void publish(SoakClient c, int qos) {
        long interval = 3_000_000_000L / ratePerSecond;
        Semaphore window = new Semaphore(WINDOW);
        long next = System.nanoTime();
        for (long seq = 0; running.get(); seq++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            byte[] payload = new byte[PAYLOAD_BYTES];
            ByteBuffer.wrap(payload).put((byte) qos).putLong(seq);
            try {
                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                    problem("publisher QoS " + qos + ": no acknowledgement for 30 s");
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            published[qos].increment();
            c.publish("soak/data/" + qos, qos, false, payload).whenComplete((v, e) -> {
                window.release();
                if (e == null) {
                    acknowledged[qos].increment();
                } else {
                    failures.increment();
                }
            });
        }
        // every message sent is acknowledged (or failed with its connection) before stop goes on
        try {
            if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                problem("publisher QoS " + qos + ": messages still unacknowledged 60 s after the last was sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void steadyReceived(int subQos, ByteBuf payload) {
        int pubQos = payload.getByte(payload.readerIndex());
        received[subQos][pubQos].increment();
        lastSteadyReceive.set(System.nanoTime());
        if (subQos == 2 && pubQos == 2) {
            int seq = (int) payload.getLong(payload.readerIndex() + 1);
            synchronized (exactlyOnce) {
                if (exactlyOnce.get(seq)) {
                    duplicates.increment();
                }
                exactlyOnce.set(seq);
            }
        }
    }

    private void toggleSlowConsumers() {
        boolean pause = (System.nanoTime() / TimeUnit.SECONDS.toNanos(SLOW_PAUSE_SECONDS)) % 2 == 0 && running.get();
        slow.forEach(pause ? SoakClient::pauseReading : SoakClient::resumeReading);
    }

    /** One short-lived client: its own QoS 1 message must come back before it sets or clears a retained message and goes. */
    private void churn() {
        String id = prefix + "churn-" + nextId.incrementAndGet();
        try {
            CompletableFuture<Void> back = new CompletableFuture<>();
            SoakClient c = connect(id, true, null, (t, b, q, r) -> back.complete(null));
            c.subscribe("soak/churn/" + id, 1);
            c.publish("soak/churn/" + id, 1, false, new byte[PAYLOAD_BYTES]);
            try {
                back.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                roundTripsMissed.increment();
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            boolean set = random.nextBoolean();
            String topic = "soak/retained/" + random.nextInt(RETAINED_TOPICS);
            c.publish(topic, 1, true, set ? id.getBytes(StandardCharsets.UTF_8) : new byte[0]).get(10, TimeUnit.SECONDS);
            (set ? retainedSet : retainedCleared).increment();
            c.disconnect();
        } catch (Exception e) {
            failed("churn client " + id, e);
        }
    }

    /** A client with a will whose connection is reset: the broker must publish the will [MQTT-3.1.2-8]. */
    private void dropWithWill() {
        String id = prefix + "will-" + nextId.incrementAndGet();
        try {
            SoakClient c = connect(id, true, new SoakClient.Will("soak/will/" + id, id.getBytes(StandardCharsets.UTF_8), 1),
                    (t, b, q, r) -> { });
            c.drop();
            drops.increment();
        } catch (Exception e) {
            failed("will client " + id, e);
        }
    }

    /** Each call, one persistent session connects (to get what was queued for it) or goes offline again. */
    private void persistentSessions() {
        int n = ThreadLocalRandom.current().nextInt(PERSISTENT);
        SoakClient online = persistentOnline.remove(n);
        try {
            if (online != null) {
                online.disconnect();
            } else if (running.get()) {
                SoakClient c = connect(prefix + "persistent-" + n, false, null, (t, b, q, r) -> persistentReceived.increment());
                c.subscribe("soak/data/1", 1);
                persistentOnline.put(n, c);
            }
        } catch (Exception e) {
            failed("persistent session " + n, e);
        }
    }

    private void failed(String who, Exception e) {
        failures.increment();
        if (failures.sum() <= 5) {
            System.out.println("   soak: " + who + " failed: " + e);
        }
    }

    private void problem(String p) {
        problems.add(p);
        System.out.println("   soak: " + p);
    }

    /**
     * Stops the load: publishers finish (every message acknowledged), slow consumers read again, the
     * subscribers get what is still on its way; then what must have arrived is checked, the retained
     * topics are cleared and the persistent sessions ended, and every client disconnects.
     */
    void stop() throws Exception {
        running.set(false);
        timers.shutdown();
        timers.awaitTermination(30, TimeUnit.SECONDS);
        for (Thread t : publishers) {
            t.join(60_000);
        }
        slow.forEach(SoakClient::resumeReading);
        long quietSince = System.nanoTime();
        while (System.nanoTime() - lastSteadyReceive.get() < TimeUnit.SECONDS.toNanos(5)
                && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(120)) {
            Thread.sleep(200);
        }
        check();
        SoakClient cleaner = connect(prefix + "cleaner", true, null, (t, b, q, r) -> { });
        for (int k = 0; k < RETAINED_TOPICS; k++) {
            cleaner.publish("soak/retained/" + k, 1, true, new byte[0]).get(10, TimeUnit.SECONDS);
        }
        cleaner.disconnect();
        for (SoakClient c : persistentOnline.values()) {
            c.disconnect();
        }
        for (int n = 0; n < PERSISTENT; n++) {
            // a clean session ends what the persistent one left [MQTT-3.1.2-6]
            connect(prefix + "persistent-" + n, true, null, (t, b, q, r) -> { }).disconnect();
        }
        AtomicLong retainedLeft = new AtomicLong();
        SoakClient probe = connect(prefix + "retained-probe", true, null, (t, b, q, r) -> retainedLeft.incrementAndGet());
        probe.subscribe("soak/retained/#", 0);
        Thread.sleep(1000);
        probe.disconnect();
        if (retainedLeft.get() > 0) {
            problem(retainedLeft.get() + " retained messages left after every topic was cleared");
        }
        steady.forEach(SoakClient::disconnect);
        slow.forEach(SoakClient::disconnect);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Delivery promises to the steady subscribers, and the wills. */
    private void check() {
        long acked1 = acknowledged[1].sum();
        long acked2 = acknowledged[2].sum();
        // at QoS 1 and 2 a message the broker acknowledged reaches every subscriber of QoS 1 or 2 [MQTT-4.3]
        for (int sub = 1; sub <= 2; sub++) {
            for (int pub = 1; pub <= 2; pub++) {
                long got = received[sub][pub].sum();
                long promised = pub == 1 ? acked1 : acked2;
                if (got < promised) {
                    problem(String.format(Locale.ROOT, "the QoS %d subscriber got %,d of %,d acknowledged QoS %d messages", sub,
                            got, promised, pub));
                }
            }
        }
        if (duplicates.sum() > 0) {
            problem(duplicates.sum() + " QoS 2 messages arrived twice at the QoS 2 subscriber [MQTT-4.3.3]");
        }
        if (willsReceived.sum() != drops.sum()) {
            problem(String.format(Locale.ROOT, "%,d clients dropped without DISCONNECT, %,d wills received", drops.sum(),
                    willsReceived.sum()));
        }
        for (SoakClient c : steady) {
            if (!c.isOpen()) {
                problem("a subscriber or publisher that should have stayed connected was disconnected");
            }
        }
        for (SoakClient c : slow) {
            if (!c.isOpen()) {
                problem("a slow consumer was disconnected");
            }
        }
        if (roundTripsMissed.sum() > 0) {
            problem(roundTripsMissed.sum() + " churn clients did not get their own QoS 1 message back within 10 s");
        }
    }

    List<String> problems() {
        return problems;
    }

    String summary() {
        return String.format(Locale.ROOT, "published QoS 0/1/2: %,d / %,d / %,d; received by the QoS 0 subscriber:"
                        + " %,d / %,d / %,d, by the QoS 2 subscriber: %,d / %,d / %,d; slow consumers QoS 0/1: %,d / %,d;"
                        + " connects: %,d; retained set/cleared: %,d / %,d; dropped with a will: %,d, wills received: %,d;"
                        + " persistent sessions received: %,d; client failures: %,d",
                published[0].sum(), published[1].sum(), published[2].sum(),
                received[0][0].sum(), received[0][1].sum(), received[0][2].sum(),
                received[2][0].sum(), received[2][1].sum(), received[2][2].sum(),
                slowReceived[0].sum(), slowReceived[1].sum(), connects.sum(), retainedSet.sum(), retainedCleared.sum(),
                drops.sum(), willsReceived.sum(), persistentReceived.sum(), failures.sum());
    }
}
