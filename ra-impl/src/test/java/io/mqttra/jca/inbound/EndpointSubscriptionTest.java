package io.mqttra.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttJmsProperties;
import io.mqttra.api.MqttMessage;
import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.Delivery;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.jca.inbound.ActivationSettings.Ordering;
import io.mqttra.testing.Await;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.resource.ResourceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery loop of one message-driven bean, without a server: a fake endpoint factory stands for
 * the container and an executor for its {@code WorkManager}. Each test takes milliseconds.
 */
class EndpointSubscriptionTest {

    private static final long WAIT_SECONDS = 5;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** Unbounded, so that every work handed to the server runs at once: a delivery too many shows in the bean. */
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final BlockingQueue<PublishedMessage> deadLetters = new LinkedBlockingQueue<>();
    private final AtomicInteger dropped = new AtomicInteger();
    /** What the bean received, as "payload count redelivered id" (JMS) or "payload count redelivered" (native). */
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopThreads() {
        release.countDown();
        pool.shutdownNow();
        timer.shutdownNow();
    }

    private EndpointSubscription subscription(FakeEndpointFactory bean, ActivationSettings settings, ExecutorWorkManager work,
                                              BrokerConfig.QueueOverflow overflow) throws ResourceException {
        BrokerConfig limits = BrokerConfig.builder().maxQueuedPerClient(1000).queueOverflow(overflow).build();
        return new EndpointSubscription(bean, settings, work, bean.registry(), timer, deadLetters::add, limits,
                dropped::incrementAndGet);
    }

    private EndpointSubscription subscription(FakeEndpointFactory bean, ActivationSettings settings, ExecutorWorkManager work)
            throws ResourceException {
        return subscription(bean, settings, work, BrokerConfig.QueueOverflow.DROP_NEW);
    }

    private static ActivationSettings.Builder settings() {
        return ActivationSettings.forFilter("sensors/#").redeliveryDelayMillis(0);
    }

    private static void publish(EndpointSubscription s, String topic, String payload, int qos) {
        s.deliver(new PublishedMessage(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, "device", null,
                System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE), new Delivery(qos, false, false, List.of()));
    }

    private static String payload(Message m) throws JMSException {
        ((BytesMessage) m).reset(); // read from the start each time
        byte[] body = new byte[(int) ((BytesMessage) m).getBodyLength()];
        ((BytesMessage) m).readBytes(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String describe(Message m) throws JMSException {
        return payload(m) + " " + m.getIntProperty(MqttJmsProperties.DELIVERY_COUNT) + " " + m.getJMSRedelivered();
    }

    private List<String> take(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(s, "message " + (i + 1) + " of " + n + " did not arrive; got " + got);
            got.add(s);
        }
        return got;
    }

    private void awaitRelease() throws InterruptedException {
        assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS), "the test never released the bean");
    }

    /** Two topics that fall into different lanes of a bean with {@code lanes} lanes. */
    private static String[] topicsInDifferentLanes(int lanes) {
        String first = "sensors/0";
        for (int i = 1; ; i++) {
            String other = "sensors/" + i;
            if (Math.floorMod(other.hashCode(), lanes) != Math.floorMod(first.hashCode(), lanes)) {
                return new String[] {first, other};
            }
        }
    }

    // --- lanes and ordering ---

    @Test
    void perTopicOrderingKeepsEachTopicsMessagesInPublishOrder_MQTT_4_6() throws Exception {
        Map<String, List<Integer>> byTopic = new ConcurrentHashMap<>();
        AtomicInteger inTopic = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            Message jms = (Message) m;
            String topic = ((jakarta.jms.Topic) jms.getJMSDestination()).getTopicName();
            byTopic.computeIfAbsent(topic, t -> java.util.Collections.synchronizedList(new ArrayList<>())).add(Integer.parseInt(payload(jms)));
            Thread.sleep(0, 200_000);
            received.add(topic);
        });
        // one topic only in the overlap check: its deliveries must never run side by side
        FakeEndpointFactory single = FakeEndpointFactory.jms(m -> {
            if (inTopic.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            Thread.sleep(1);
            inTopic.decrementAndGet();
            received.add("single");
        });
        EndpointSubscription s = subscription(bean, settings().maxSessions(4).build(), new ExecutorWorkManager(pool));
        int topics = 6;
        int perTopic = 40;
        for (int i = 0; i < perTopic; i++) {
            for (int t = 0; t < topics; t++) {
                publish(s, "sensors/" + t, String.valueOf(i), 1);
            }
        }
        take(topics * perTopic);
        assertEquals(topics, byTopic.size());
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            List<Integer> inOrder = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                inOrder.add(i);
            }
            assertEquals(inOrder, e.getValue(), "the messages of " + e.getKey() + " in publish order");
        }
        EndpointSubscription one = subscription(single, settings().maxSessions(4).build(), new ExecutorWorkManager(pool));
        for (int i = 0; i < 20; i++) {
            publish(one, "sensors/one", "x", 1);
        }
        take(20);
        assertEquals(0, overlaps.get(), "one topic's deliveries run one at a time");
    }

    @Test
    void perTopicOrderingRunsDifferentTopicsInParallel() throws Exception {
        CyclicBarrier bothInTheBean = new CyclicBarrier(2);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            bothInTheBean.await(WAIT_SECONDS, TimeUnit.SECONDS); // times out unless the two run side by side
            received.add(payload((Message) m));
        });
        EndpointSubscription s = subscription(bean, settings().maxSessions(2).build(), new ExecutorWorkManager(pool));
        String[] topics = topicsInDifferentLanes(2);
        publish(s, topics[0], "a", 1);
        publish(s, topics[1], "b", 1);
        List<String> got = take(2);
        assertTrue(got.containsAll(List.of("a", "b")), got.toString());
    }

    @Test
    void orderingNoneRunsUpToMaxSessionsDeliveriesAtOnce() throws Exception {
        AtomicInteger inBean = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch threeIn = new CountDownLatch(3);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            most.accumulateAndGet(inBean.incrementAndGet(), Math::max);
            threeIn.countDown();
            awaitRelease();
            inBean.decrementAndGet();
            received.add(payload((Message) m));
        });
        ExecutorWorkManager work = new ExecutorWorkManager(pool);
        EndpointSubscription s = subscription(bean, settings().maxSessions(3).ordering(Ordering.NONE).build(), work);
        for (int i = 0; i < 6; i++) {
            publish(s, "sensors/one", String.valueOf(i), 1);
        }
        assertTrue(threeIn.await(WAIT_SECONDS, TimeUnit.SECONDS), "three deliveries of one topic at once");
        // a delivery runs in a work of its own, handed over while publish() dispatches: once every work still running is in the bean, a fourth would be counted
        Await.until(Duration.ofSeconds(WAIT_SECONDS), "every delivery work still running to be in the bean",
                () -> inBean.get() == work.running());
        assertEquals(3, inBean.get(), "no fourth beyond maxSessions");
        release.countDown();
        take(6);
        assertEquals(3, most.get());
    }

    @Test
    void oneEndpointServesALanesMessagesInTurn_JCA_MessageEndpointReuse() throws Exception {
        CountDownLatch firstIn = new CountDownLatch(1);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            firstIn.countDown();
            awaitRelease();
            received.add(payload((Message) m));
        });
        EndpointSubscription s = subscription(bean, settings().maxSessions(1).build(), new ExecutorWorkManager(pool));
        publish(s, "sensors/a", "1", 1);
        assertTrue(firstIn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        publish(s, "sensors/a", "2", 1);
        publish(s, "sensors/b", "3", 1);
        release.countDown();
        assertEquals(List.of("1", "2", "3"), take(3));
        s.stop();
        assertEquals(1, bean.created.get(), "the three messages went through one endpoint");
        assertEquals(1, bean.released.get(), "released when the lane ran empty");
    }

    // --- redelivery and dead letters ---

    @Test
    void aFailedDeliveryComesAgainWithJMSRedeliveredAndJMSXDeliveryCount_JMS_3_4_7_and_3_5_11() throws Exception {
        Map<String, String> ids = new ConcurrentHashMap<>();
        AtomicInteger attempts = new AtomicInteger();
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            Message jms = (Message) m;
            ids.merge(payload(jms), jms.getJMSMessageID(), (a, b) -> a.equals(b) ? a : "different ids");
            received.add(describe(jms));
            if (payload(jms).equals("first") && attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the bean fails once");
            }
        });
        EndpointSubscription s = subscription(bean, settings().build(), ExecutorWorkManager.sameThread());
        publish(s, "sensors/a", "first", 1);
        publish(s, "sensors/a", "second", 1);
        assertEquals(List.of("first 1 false", "first 2 true", "second 1 false"), take(3),
                "the redelivery comes before the topic's next message");
        assertFalse(ids.containsValue("different ids"), "every attempt at a message carries its JMSMessageID");
    }

    @Test
    void withoutOrderingAFailedMessageWaitsRedeliveryDelayAndLetsOthersPass() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            Message jms = (Message) m;
            received.add(describe(jms));
            if (payload(jms).equals("first") && attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the bean fails once");
            }
        });
        EndpointSubscription s = subscription(bean, settings().ordering(Ordering.NONE).maxSessions(1).redeliveryDelayMillis(100)
                .build(), ExecutorWorkManager.sameThread());
        long start = System.nanoTime();
        publish(s, "sensors/a", "first", 1);
        publish(s, "sensors/a", "second", 1);
        assertEquals(List.of("first 1 false", "second 1 false", "first 2 true"), take(3));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "redelivered after redeliveryDelay");
    }

    @Test
    void afterMaxRedeliveriesTheMessageGoesToTheDeadLetterTopic() throws Exception {
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            received.add(describe((Message) m));
            if (payload((Message) m).equals("bad")) {
                throw new IllegalStateException("poison");
            }
        });
        EndpointSubscription s = subscription(bean, settings().maxRedeliveries(2).build(), ExecutorWorkManager.sameThread());
        publish(s, "sensors/a", "bad", 1);
        assertEquals(List.of("bad 1 false", "bad 2 true", "bad 3 true"), take(3), "the first delivery and maxRedeliveries more");
        PublishedMessage dead = deadLetters.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(dead);
        assertEquals(ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC, dead.topic());
        assertEquals("bad", new String(dead.payload(), StandardCharsets.UTF_8));
        Map<String, String> user = new java.util.HashMap<>();
        dead.properties().userProperties().forEach(e -> user.put(e.getKey(), e.getValue()));
        assertEquals("sensors/a", user.get("originalTopic"));
        assertEquals("3", user.get("deliveryCount"));
        assertEquals(FakeEndpointFactory.JmsBean.class.getName(), user.get("consumer"));
        assertTrue(user.get("failureReason").contains("poison"), user.get("failureReason"));
        publish(s, "sensors/a", "marker", 1);
        // same topic, same lane, and a failed delivery is put back at the lane's head before the lane moves on: another attempt would come before the marker
        assertEquals(List.of("marker 1 false"), take(1), "not delivered again");
    }

    @Test
    void withoutADeadLetterTopicAMessageIsGivenUpAfterMaxRedeliveries() throws Exception {
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            received.add(describe((Message) m));
            if (payload((Message) m).equals("bad")) {
                throw new IllegalStateException("poison");
            }
        });
        EndpointSubscription s = subscription(bean, settings().maxRedeliveries(1).deadLetterTopic(null).build(),
                ExecutorWorkManager.sameThread());
        publish(s, "sensors/a", "bad", 1);
        assertEquals(List.of("bad 1 false", "bad 2 true"), take(2));
        assertTrue(deadLetters.isEmpty());
        publish(s, "sensors/a", "marker", 1);
        // same topic, same lane, and a failed delivery is put back at the lane's head before the lane moves on: another attempt would come before the marker
        assertEquals(List.of("marker 1 false"), take(1), "given up, not delivered again");
    }

    @Test
    void aQos0MessageThatFailsIsNotRedelivered() throws Exception {
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            received.add(describe((Message) m));
            if (payload((Message) m).equals("once")) {
                throw new IllegalStateException("fails");
            }
        });
        EndpointSubscription s = subscription(bean, settings().build(), ExecutorWorkManager.sameThread());
        publish(s, "sensors/a", "once", 0);
        assertEquals(List.of("once 1 false"), take(1));
        publish(s, "sensors/a", "marker", 0);
        // same topic, same lane, and a failed delivery is put back at the lane's head before the lane moves on: a redelivery would come before the marker
        assertEquals(List.of("marker 1 false"), take(1), "at most once");
        assertTrue(deadLetters.isEmpty(), "QoS 0 has no dead letter either");
    }

    @Test
    void aBeanNeverReceivesItsOwnDeadLetters() throws Exception {
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> received.add(describe((Message) m)));
        EndpointSubscription s = subscription(bean, ActivationSettings.forFilter("#").deadLetterTopic("dead/letters").maxSessions(1)
                .build(), ExecutorWorkManager.sameThread());
        publish(s, "dead/letters", "again", 1);
        publish(s, "sensors/a", "new", 1);
        // maxSessions 1: one lane, delivering in publish order, so a dead letter taken in would have come before this later message
        assertEquals(List.of("new 1 false"), take(1), "the dead letter is not delivered");
    }

    @Test
    void aNativeBeanGetsAnMqttMessageCountingItsDeliveries() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FakeEndpointFactory bean = FakeEndpointFactory.nativeMqtt(m -> {
            MqttMessage mqtt = (MqttMessage) m;
            received.add(mqtt.topic() + " " + mqtt.payloadAsString() + " " + mqtt.deliveryCount() + " " + mqtt.redelivered());
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("fails once");
            }
        });
        EndpointSubscription s = subscription(bean, settings().build(), ExecutorWorkManager.sameThread());
        publish(s, "sensors/a", "21.5", 1);
        assertEquals(List.of("sensors/a 21.5 1 false", "sensors/a 21.5 2 true"), take(2));
    }

    // --- transactions ---

    private static StoredMessage stored(long id, String payload) {
        return new StoredMessage(id, new PublishedMessage("sensors/a", payload.getBytes(StandardCharsets.UTF_8), 1, false,
                "device", null, System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE), 1, false, 1, "ID:" + id);
    }

    @Test
    void aTransactedDeliveryIsSettledOnlyWhenItsTransactionCommits_JCA_TransactedDelivery() throws Exception {
        transactedDeliveryIsSettledOnCommit(true);
    }

    @Test
    void withoutASynchronizationRegistryTheOutcomeIsTheEndpointsXAResource_JCA_CreateEndpointXAResource() throws Exception {
        transactedDeliveryIsSettledOnCommit(false);
    }

    private void transactedDeliveryIsSettledOnCommit(boolean withRegistry) throws Exception {
        List<Long> settled = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        FakeEndpointFactory[] self = new FakeEndpointFactory[1];
        self[0] = FakeEndpointFactory.transactedJms(m -> {
            received.add(describe((Message) m) + " settled " + settled);
            if (attempts.incrementAndGet() == 1) {
                self[0].setRollbackOnly(); // returns normally, yet its transaction rolls back
            }
        }, withRegistry);
        EndpointSubscription s = subscription(self[0], settings().build(), ExecutorWorkManager.sameThread());
        s.settleWith(settled::add);
        s.enqueue(stored(7, "order"));
        assertEquals(List.of("order 1 false settled []", "order 2 true settled []"), take(2));
        assertEquals(List.of(7L), settled, "settled once, after the commit");
        assertEquals(1, self[0].rollbacks.get());
        assertEquals(1, self[0].commits.get());
    }

    // --- bounds and stop ---

    /** Messages 1 to 5 to a bean whose one lane holds 1 while maxQueued is 2; returns once the bean is released. */
    private EndpointSubscription fillBehindABlockedBean(BrokerConfig.QueueOverflow overflow) throws Exception {
        CountDownLatch firstIn = new CountDownLatch(1);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            firstIn.countDown();
            awaitRelease();
            received.add(payload((Message) m));
        });
        EndpointSubscription s = subscription(bean, settings().maxSessions(1).maxQueued(2).build(), new ExecutorWorkManager(pool),
                overflow);
        publish(s, "sensors/a", "1", 1);
        assertTrue(firstIn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int i = 2; i <= 5; i++) {
            publish(s, "sensors/a", String.valueOf(i), 1);
        }
        assertEquals(2, dropped.get(), "two over maxQueued, counted");
        release.countDown();
        return s;
    }

    @Test
    void maxQueuedDropsNewMessagesBeyondItWithDropNew() throws Exception {
        EndpointSubscription s = fillBehindABlockedBean(BrokerConfig.QueueOverflow.DROP_NEW);
        assertEquals(List.of("1", "2", "3"), take(3));
        publish(s, "sensors/a", "marker", 1);
        // one lane (maxSessions 1) delivering in queue order: a dropped message still queued would come before the marker
        assertEquals(List.of("marker"), take(1), "4 and 5 were dropped");
    }

    @Test
    void maxQueuedDropsTheOldestWaitingWithDropOldest() throws Exception {
        EndpointSubscription s = fillBehindABlockedBean(BrokerConfig.QueueOverflow.DROP_OLDEST);
        assertEquals(List.of("1", "4", "5"), take(3));
        publish(s, "sensors/a", "marker", 1);
        // one lane (maxSessions 1) delivering in queue order: a dropped message still queued would come before the marker
        assertEquals(List.of("marker"), take(1), "2 and 3 were dropped");
    }

    /** The thread that runs stop() in {@link #stopInTheBackground}. */
    private volatile Thread stopper;

    /** Calls stop() on another thread and returns once it has begun (the bean may still hold a message). */
    private Future<List<StoredMessage>> stopInTheBackground(EndpointSubscription s) throws Exception {
        Future<List<StoredMessage>> stopping = pool.submit(() -> {
            stopper = Thread.currentThread();
            return s.stop();
        });
        Await.until(Duration.ofSeconds(WAIT_SECONDS), "stop() to begin", s::isStopped);
        return stopping;
    }

    /** Whether the thread running stop() is blocked inside it (sleeping, parked, waiting), not merely on its way. */
    private boolean stopperWaitsInStop() {
        Thread t = stopper;
        if (t == null || (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING)) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(EndpointSubscription.class.getName()) && frame.getMethodName().equals("stop")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void stopWaitsForTheDeliveryInProgressAndReturnsTheUndeliveredInOrder() throws Exception {
        CountDownLatch firstIn = new CountDownLatch(1);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            firstIn.countDown();
            awaitRelease();
            received.add(payload((Message) m));
        });
        ExecutorWorkManager work = new ExecutorWorkManager(pool);
        EndpointSubscription s = subscription(bean, settings().maxSessions(1).build(), work);
        publish(s, "sensors/a", "1", 1);
        assertTrue(firstIn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        publish(s, "sensors/a", "2", 1);
        publish(s, "sensors/b", "3", 1);
        publish(s, "sensors/a", "4", 1);
        Future<List<StoredMessage>> stopping = stopInTheBackground(s);
        // stop() either returns or blocks inside itself while the bean holds "1": blocked there, it is waiting, not yet on its way out
        Await.until(Duration.ofSeconds(WAIT_SECONDS), "stop() to return or to wait inside itself",
                () -> stopping.isDone() || stopperWaitsInStop());
        assertFalse(stopping.isDone(), "stop() waits while the bean holds a message");
        release.countDown();
        List<StoredMessage> left = stopping.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of("1"), take(1));
        assertEquals(List.of("2", "3", "4"), left.stream().map(m -> new String(m.message().payload(), StandardCharsets.UTF_8)).toList());
        assertTrue(left.stream().allMatch(m -> m.deliveryCount() == 1));
        publish(s, "sensors/a", "5", 1);
        // publish() hands a delivery to the server before it returns: once every work given has run, "5" would be in the bean
        Await.until(Duration.ofSeconds(WAIT_SECONDS), "every delivery work the server was given to have run", work::idle);
        assertNull(received.peek(), "nothing is delivered after stop()");
    }

    @Test
    void stopHandsBackAMessageWaitingForRedeliveryFirst() throws Exception {
        CountDownLatch secondIn = new CountDownLatch(1);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            String p = payload((Message) m);
            if (p.equals("1")) {
                throw new IllegalStateException("fails; redelivery waits a minute");
            }
            secondIn.countDown();
            awaitRelease();
            received.add(p);
        });
        EndpointSubscription s = subscription(bean, settings().maxSessions(1).ordering(Ordering.NONE)
                .redeliveryDelayMillis(60_000).build(), new ExecutorWorkManager(pool));
        publish(s, "sensors/a", "1", 1);
        publish(s, "sensors/a", "2", 1);
        assertTrue(secondIn.await(WAIT_SECONDS, TimeUnit.SECONDS));
        publish(s, "sensors/a", "3", 1);
        Future<List<StoredMessage>> stopping = stopInTheBackground(s);
        release.countDown();
        List<StoredMessage> left = stopping.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of("2"), take(1));
        assertEquals(List.of("1 2", "3 1"), left.stream()
                .map(m -> new String(m.message().payload(), StandardCharsets.UTF_8) + " " + m.deliveryCount()).toList());
    }
}
