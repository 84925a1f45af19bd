package io.mqttra.jca;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * What the adapter's XA resources have in common: their state is in memory only, so there is
 * nothing to recover after a restart, and each instance is its own resource manager.
 */
abstract class InMemoryXAResource implements XAResource {

    private int timeoutSeconds;

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

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
}
