package io.mqttra.jca.inbound;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Timer;

/** What a server gives a starting adapter, as far as the adapter uses it: a WorkManager, no transactions. */
public final class TestBootstrapContext implements BootstrapContext {

    private final WorkManager works;

    public TestBootstrapContext(WorkManager works) {
        this.works = works;
    }

    @Override
    public WorkManager getWorkManager() {
        return works;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        return new Timer(true);
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }
}
