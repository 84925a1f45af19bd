package io.mqttra.jca.outbound;

import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.PublishedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Publishes for one pooled connection: at once outside a transaction, or held per transaction branch
 * until it commits (published in send order) or rolls back (dropped). It is also the connection's
 * {@link XAResource} and the engine of its local transactions.
 *
 * <p>What a commit guarantees: the messages are routed to every matching subscription during the
 * commit call, so subscribers can see them as soon as the transaction manager has committed this
 * branch, and never before. They are held in memory between prepare and commit: if the server
 * dies in that window, they are lost (at most once in that case, never twice).
 */
final class TransactionalPublisher implements XAResource {

    private static final Logger LOG = Logger.getLogger(TransactionalPublisher.class.getName());

    private final MqttManagedConnectionFactory factory;
    private final Map<Xid, List<PublishedMessage>> branches = new ConcurrentHashMap<>();
    private List<PublishedMessage> current;
    private List<PublishedMessage> local;
    private int timeoutSeconds;

    TransactionalPublisher(MqttManagedConnectionFactory factory) {
        this.factory = factory;
    }

    synchronized void publish(PublishedMessage message) {
        if (current != null || local != null) {
            broker().check(message); // refused at send, not at commit, where the application could not tell which one
            (current != null ? current : local).add(message);
        } else {
            broker().publish(message);
        }
    }

    private MqttBroker broker() {
        return factory.broker();
    }

    private void publishAll(List<PublishedMessage> messages) {
        if (messages != null) {
            MqttBroker b = broker();
            messages.forEach(b::publish);
        }
    }

    // --- local transactions (jakarta.resource.spi.LocalTransaction, delegated from the connection) ---

    synchronized void beginLocal() {
        local = new ArrayList<>();
    }

    synchronized void commitLocal() {
        List<PublishedMessage> messages = local;
        local = null;
        publishAll(messages);
    }

    synchronized void rollbackLocal() {
        local = null;
    }

    /** The connection goes back to the pool: nothing of a finished unit of work stays attached. */
    synchronized void reset() {
        current = null;
        local = null;
    }

    // --- XA ---

    @Override
    public synchronized void start(Xid xid, int flags) throws XAException {
        if ((flags & (TMJOIN | TMRESUME)) != 0) {
            current = branches.get(xid);
            if (current == null) {
                throw new XAException(XAException.XAER_NOTA);
            }
        } else {
            if (branches.containsKey(xid)) {
                throw new XAException(XAException.XAER_DUPID);
            }
            current = new ArrayList<>();
            branches.put(xid, current);
        }
    }

    @Override
    public synchronized void end(Xid xid, int flags) throws XAException {
        current = null; // also after a timeout rolled the branch back: later sends must not land in it
        if (!branches.containsKey(xid)) {
            throw new XAException(XAException.XAER_NOTA);
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        List<PublishedMessage> messages = branches.get(xid);
        if (messages == null) {
            throw new XAException(XAException.XAER_NOTA);
        }
        if (messages.isEmpty()) {
            branches.remove(xid);
            return XA_RDONLY; // nothing was sent: no second phase needed
        }
        if (!factory.isBrokerRunning()) {
            branches.remove(xid);
            throw new XAException(XAException.XA_RBROLLBACK); // the adapter is stopping: vote no rather than lose them
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        if (!factory.isBrokerRunning()) {
            // keep the branch: the transaction manager retries a commit that failed with RMFAIL
            throw new XAException(XAException.XAER_RMFAIL);
        }
        List<PublishedMessage> messages = branches.remove(xid);
        if (messages == null) {
            throw new XAException(XAException.XAER_NOTA);
        }
        int published = 0;
        try {
            MqttBroker b = broker();
            for (PublishedMessage m : messages) {
                b.publish(m);
                published++;
            }
        } catch (RuntimeException e) {
            // the branch is gone from memory either way; say which outcome it had, never a runtime exception
            int code = published > 0 ? XAException.XA_HEURMIX : onePhase ? XAException.XA_RBROLLBACK : XAException.XA_HEURRB;
            LOG.log(Level.SEVERE, "MQTT-RA published " + published + " of the " + messages.size()
                    + " messages of a committing transaction; the others are lost: " + e.getMessage(), e);
            XAException failed = new XAException(code);
            failed.initCause(e);
            throw failed;
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        if (branches.remove(xid) == null) {
            throw new XAException(XAException.XAER_NOTA);
        }
    }

    @Override
    public void forget(Xid xid) {
        branches.remove(xid);
    }

    /** Its branches are in memory only: nothing to recover after a restart. */
    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    /** Each connection is its own resource manager. */
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
