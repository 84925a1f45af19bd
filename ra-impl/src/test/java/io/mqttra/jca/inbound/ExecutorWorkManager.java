package io.mqttra.jca.inbound;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.Executor;

/**
 * The server's {@link WorkManager} as far as delivery uses it: works run on an executor, or on the
 * calling thread with {@link #sameThread()} (then a delivery is over when {@code deliver} returns).
 */
final class ExecutorWorkManager implements WorkManager {

    private final Executor executor;

    ExecutorWorkManager(Executor executor) {
        this.executor = executor;
    }

    static ExecutorWorkManager sameThread() {
        return new ExecutorWorkManager(Runnable::run);
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        executor.execute(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        return startWork(work);
    }

    @Override
    public void scheduleWork(Work work) {
        executor.execute(work);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
    }
}
