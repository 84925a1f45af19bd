package io.mqttra.security;

import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs login checks that block (hashing a password, a JAAS module asking a directory) on a few threads
 * of its own, so that an {@link io.mqttra.broker.Authenticator} never blocks the Netty event loop that
 * asks it. The queue is bounded: when it is full a login is refused at once with
 * {@link LoginResult.Reason#UNAVAILABLE} rather than waiting, so that a flood of CONNECTs cannot pile
 * up work or memory. A check that throws is refused the same way, and the exception is logged.
 *
 * <p>The threads are daemons named {@code mqtt-ra-login-N}; idle ones end after a minute.
 */
public final class BlockingLoginExecutor implements AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 1000;

    private static final Logger LOG = Logger.getLogger(BlockingLoginExecutor.class.getName());

    private final ThreadPoolExecutor threads;

    public BlockingLoginExecutor(int threads) {
        this(threads, DEFAULT_QUEUE_CAPACITY);
    }

    public BlockingLoginExecutor(int threads, int queueCapacity) {
        if (threads < 1) {
            throw new IllegalArgumentException("login threads must be at least 1, not " + threads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the login queue's capacity must be at least 1, not " + queueCapacity);
        }
        this.threads = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(queueCapacity), new LoginThreads());
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Runs the check on a login thread; the answer completes there. */
    public CompletionStage<LoginResult> submit(LoginRequest request, Function<LoginRequest, LoginResult> check) {
        LoginTask task = new LoginTask(request, check);
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            task.refuse(threads.isShutdown() ? "the login threads are closed" : "too many logins waiting");
        }
        return task.result;
    }

    /** Stops the threads; logins still waiting are refused as {@link LoginResult.Reason#UNAVAILABLE}. */
    @Override
    public void close() {
        for (Runnable waiting : threads.shutdownNow()) {
            ((LoginTask) waiting).refuse("the login threads are closed");
        }
    }

    private static final class LoginTask implements Runnable {

        final LoginRequest request;
        final Function<LoginRequest, LoginResult> check;
        final CompletableFuture<LoginResult> result = new CompletableFuture<>();

        LoginTask(LoginRequest request, Function<LoginRequest, LoginResult> check) {
            this.request = request;
            this.check = check;
        }

        @Override
        public void run() {
            try {
                result.complete(Objects.requireNonNull(check.apply(request), "the login check gave no result"));
            } catch (Throwable e) {
                // the request's toString never shows the password
                LOG.log(Level.WARNING, "the check of the " + request + " failed", e);
                refuse("the login check failed: " + e);
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
            }
        }

        void refuse(String why) {
            result.complete(LoginResult.refused(LoginResult.Reason.UNAVAILABLE, why + " (" + request + ")"));
        }
    }

    private static final class LoginThreads implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();
        /*
         * A JAAS LoginContext loads its modules through the thread's context class loader. Threads are made
         * when a login comes, from a Netty event loop whose loader may not be the adapter's or the
         * application's, so they take the loader of whoever made this executor.
         */
        private final ClassLoader loader = Thread.currentThread().getContextClassLoader();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "mqtt-ra-login-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        }
    }
}
