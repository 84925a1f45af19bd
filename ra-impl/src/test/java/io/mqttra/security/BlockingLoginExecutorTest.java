package io.mqttra.security;

import static io.mqttra.security.LoginRequests.answer;
import static io.mqttra.security.LoginRequests.login;
import static io.mqttra.security.LoginRequests.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class BlockingLoginExecutorTest {

    static final LoginResult ALICE = LoginResult.granted(ClientIdentity.of("alice", Set.of()));

    @Test
    void theCheckRunsOnADaemonLoginThread() throws Exception {
        try (BlockingLoginExecutor executor = new BlockingLoginExecutor(1)) {
            CompletableFuture<Thread> thread = new CompletableFuture<>();
            answer(executor.submit(login("alice", "secret"), request -> {
                thread.complete(Thread.currentThread());
                return ALICE;
            }));
            assertEquals("mqtt-ra-login-1", thread.get().getName());
            assertTrue(thread.get().isDaemon());
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAsUnavailable() throws Exception {
        try (BlockingLoginExecutor executor = new BlockingLoginExecutor(1, 1)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            Function<LoginRequest, LoginResult> slow = request -> {
                running.countDown();
                await(release);
                return ALICE;
            };
            CompletionStage<LoginResult> first = executor.submit(login("alice", "secret"), slow);
            assertTrue(running.await(10, TimeUnit.SECONDS));
            CompletionStage<LoginResult> queued = executor.submit(login("alice", "secret"), slow);
            CompletionStage<LoginResult> overflow = executor.submit(login("alice", "secret"), slow);

            LoginResult.Refused refusal = refused(overflow.toCompletableFuture().getNow(null));
            assertEquals(Reason.UNAVAILABLE, refusal.reason());
            assertTrue(refusal.why().contains("too many logins waiting"), refusal.why());
            release.countDown();
            assertSame(ALICE, answer(first));
            assertSame(ALICE, answer(queued));
        }
    }

    @Test
    void aCheckThatThrowsIsUnavailableAndLoggedWithoutThePassword() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = recorder(records);
        Logger logger = Logger.getLogger(BlockingLoginExecutor.class.getName());
        logger.addHandler(handler);
        try (BlockingLoginExecutor executor = new BlockingLoginExecutor(1)) {
            LoginResult.Refused refusal = refused(answer(executor.submit(login("alice", "secret"), request -> {
                throw new IllegalStateException("the directory is down");
            })));
            assertEquals(Reason.UNAVAILABLE, refusal.reason());
            assertTrue(refusal.why().contains("the directory is down"), refusal.why());
            assertFalse(refusal.why().contains("secret"), refusal.why());
            assertEquals(1, records.size());
            assertTrue(records.get(0).getMessage().contains("alice"), records.get(0).getMessage());
            assertFalse(records.get(0).getMessage().contains("secret"), records.get(0).getMessage());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aCheckThatGivesNothingIsUnavailable() throws Exception {
        try (BlockingLoginExecutor executor = new BlockingLoginExecutor(1)) {
            assertEquals(Reason.UNAVAILABLE, refused(answer(executor.submit(login("alice", "secret"), request -> null))).reason());
        }
    }

    @Test
    void closingRefusesTheLoginsWaitingAndThoseThatCome() throws Exception {
        BlockingLoginExecutor executor = new BlockingLoginExecutor(1, 10);
        CountDownLatch running = new CountDownLatch(1);
        CompletionStage<LoginResult> first = executor.submit(login("alice", "secret"), request -> {
            running.countDown();
            await(new CountDownLatch(1)); // until interrupted by close()
            return ALICE;
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        CompletionStage<LoginResult> waiting = executor.submit(login("alice", "secret"), request -> ALICE);
        executor.close();
        assertEquals(Reason.UNAVAILABLE, refused(answer(waiting)).reason());
        assertEquals(Reason.UNAVAILABLE, refused(answer(first)).reason());
        LoginResult.Refused late = refused(answer(executor.submit(login("alice", "secret"), request -> ALICE)));
        assertTrue(late.why().contains("closed"), late.why());
    }

    @Test
    void loginThreadsHaveTheContextClassLoaderOfTheExecutorsMaker() throws Exception {
        ClassLoader makers = new URLClassLoader(new URL[0], getClass().getClassLoader());
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        BlockingLoginExecutor executor;
        current.setContextClassLoader(makers);
        try {
            executor = new BlockingLoginExecutor(1);
        } finally {
            current.setContextClassLoader(before);
        }
        try (executor) {
            // the first thread is made now, by a thread with another loader
            CompletableFuture<ClassLoader> seen = new CompletableFuture<>();
            answer(executor.submit(login("alice", "secret"), request -> {
                seen.complete(Thread.currentThread().getContextClassLoader());
                return ALICE;
            }));
            assertSame(makers, seen.get());
        }
    }

    @Test
    void needsAThreadAndAQueue() {
        assertThrows(IllegalArgumentException.class, () -> new BlockingLoginExecutor(0));
        assertThrows(IllegalArgumentException.class, () -> new BlockingLoginExecutor(1, 0));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static Handler recorder(List<LogRecord> records) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
