package io.mqttra.jca.inbound;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Learns how one transacted delivery's transaction ended: a commit is when the message leaves the
 * subscription's queue, a rollback sends it round again. It holds no data.
 *
 * <p>It is registered as an interposed {@link Synchronization} where the server offers a
 * {@code TransactionSynchronizationRegistry}, and is otherwise the XAResource given to
 * {@code createEndpoint(xaResource)}. A Synchronization is preferred: as an XAResource it would be a
 * second resource beside the bean's datasource, which makes the transaction two-phase and has the
 * transaction manager force its log to disk for every message, while an in-memory resource that has
 * nothing to recover gains nothing from that (the profile of the transacted bench bean showed the
 * log's {@code fsync} as most of each delivery).
 */
final class DeliveryOutcome implements XAResource, Synchronization {

    private volatile boolean committed;
    private volatile boolean rolledBack;
    private int timeoutSeconds;

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

    /** Its state is in memory only: nothing to recover after a restart. */
    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    /** Each delivery's outcome is its own resource manager. */
    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        timeoutSeconds = seconds;
        return true;
    }

    @Override
    public void beforeCompletion() {
    }

    @Override
    public void afterCompletion(int status) {
        if (status == Status.STATUS_COMMITTED) {
            committed = true;
        } else if (status == Status.STATUS_ROLLEDBACK) {
            rolledBack = true;
        }
        // STATUS_UNKNOWN (a heuristic outcome): neither, and the delivery counts as failed, so it comes again
    }
}
