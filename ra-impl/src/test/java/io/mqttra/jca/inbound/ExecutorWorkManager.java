package io.mqttra.jca.inbound;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's {@link WorkManager} as far as delivery uses it: works run on an executor, or on the
 * calling thread with {@link #sameThread()} (then a delivery is over when {@code deliver} returns).
 * It counts the works it is given and those that have run, so that a test can wait until nothing it
 * was handed is still to be delivered.
 */
public final class ExecutorWorkManager implements WorkManager {

    private final Executor executor;
    private final AtomicInteger given = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    public ExecutorWorkManager(Executor executor) {
        this.executor = executor;
    }

    static ExecutorWorkManager sameThread() {
        return new ExecutorWorkManager(Runnable::run);
    }

    /** How many works given have not returned from {@code run()} yet (never fewer than the true number). */
    int running() {
        int done = finished.get(); // read first: a work given meanwhile can only make the answer higher
        return given.get() - done;
    }

    /** Whether every work given so far has returned from {@code run()}. */
    boolean idle() {
        return running() == 0;
    }

    private Runnable counted(Work work) {
        given.incrementAndGet();
        return () -> {
            try {
                work.run();
            } finally {
                finished.incrementAndGet();
            }
        };
    }

    @Override
    public void doWork(Work work) {
        counted(work).run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        doWork(work);
    }

    @Override
    public long startWork(Work work) {
        executor.execute(counted(work));
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        return startWork(work);
    }

    @Override
    public void scheduleWork(Work work) {
        executor.execute(counted(work));
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
    }
}
