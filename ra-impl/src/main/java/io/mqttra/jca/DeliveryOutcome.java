package io.mqttra.jca;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource the adapter gives the container for one transacted delivery
 * ({@code createEndpoint(xaResource)}). It holds no data: it learns whether the bean's transaction
 * committed, which is when the message leaves the subscription's queue, or rolled back, which sends
 * it round again.
 */
final class DeliveryOutcome extends InMemoryXAResource {

    private volatile boolean committed;
    private volatile boolean rolledBack;

    boolean committed() {
        return committed;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        committed = true;
    }

    @Override
    public void rollback(Xid xid) {
        rolledBack = true;
    }

    @Override
    public void forget(Xid xid) {
    }
}
