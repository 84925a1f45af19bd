package io.mqttra.jca.inbound;

import io.mqttra.broker.MessageStore.StoredMessage;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import java.util.List;

/**
 * Delivers a lane's messages one after another until it is empty, paused, or the endpoint is
 * unavailable. One endpoint serves the messages in turn, as JCA allows: creating one per message
 * was about a third of a non-transacted delivery's time in WildFly (a new proxy each time).
 *
 * <p>A work runs as one caller, fixed when the server starts it: with {@code runAsPublisher} it
 * delivers the messages of one publisher identity and stops at the first of another, which the next
 * work picks up.
 */
final class DeliveryWork implements Work, WorkContextProvider {

    private final EndpointSubscription subscription;
    private final BeanEndpoints bean;
    private final Lane lane;
    /** Whom the bean's caller is, or null: the container's unauthenticated identity. */
    private final PublisherCaller caller;
    /** The endpoint the next message may use, or null: one is created for it. */
    private MessageEndpoint endpoint;

    DeliveryWork(EndpointSubscription subscription, BeanEndpoints bean, Lane lane, PublisherCaller caller) {
        this.subscription = subscription;
        this.bean = bean;
        this.lane = lane;
        this.caller = caller;
    }

    @Override
    public List<WorkContext> getWorkContexts() {
        return caller == null ? List.of() : List.of(caller.securityContext());
    }

    @Override
    public void run() {
        try {
            StoredMessage m;
            while (subscription.isDelivering() && System.currentTimeMillis() >= lane.pausedUntil
                    && (m = subscription.poll(lane)) != null) {
                if (!subscription.runsAs(caller, m)) {
                    subscription.putBack(lane, m); // another publisher's: the next work runs as that one
                    break;
                }
                if (!deliverOne(m)) {
                    break;
                }
            }
        } finally {
            if (endpoint != null) {
                endpoint.release();
                endpoint = null;
            }
            lane.running.decrementAndGet();
        }
        subscription.dispatch(lane);
    }

    @Override
    public void release() {
    }

    /**
     * Delivers one message. A transacted bean gets it inside a transaction that the container starts
     * in {@code beforeDelivery}, with the adapter's {@link DeliveryOutcome} listening to it: the message
     * is settled only if that transaction commits. A non-transacted bean settles it by returning normally.
     * Returns false when no bean instance could be had; the message is then back in its lane.
     */
    private boolean deliverOne(StoredMessage m) {
        boolean transacted = bean.transacted();
        DeliveryOutcome outcome = transacted ? new DeliveryOutcome() : null;
        MessageEndpoint current = endpoint;
        endpoint = null;
        try {
            if (current == null) {
                current = bean.create(outcome);
            }
        } catch (UnavailableException | RuntimeException e) {
            subscription.waitForEndpoint(lane, m, e);
            return false;
        }
        Throwable failure = null;
        boolean began = false;
        try {
            if (transacted) {
                current.beforeDelivery(bean.onMessage());
                began = true;
                bean.listenForOutcome(outcome, subscription.subscriberId());
            }
            bean.deliver(current, m);
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (began) {
                try {
                    current.afterDelivery(); // commits, or rolls back after an exception or setRollbackOnly
                } catch (Throwable e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (bean.reusable() && failure == null) {
                endpoint = current;
            } else {
                current.release(); // after a failure the next message starts afresh
            }
        }
        // a transacted delivery counts exactly when its transaction committed: an exception the
        // container did not roll back for, or one after the commit, does not send the message round again
        boolean refused = failure != null && refusedCaller(failure);
        boolean done = !refused && (transacted && (outcome.committed() || outcome.rolledBack())
                ? outcome.committed() : failure == null);
        if (done) {
            subscription.statistics().countDelivered();
            subscription.settle(m);
        } else if (refused) {
            // the bean never ran, so its transaction committed nothing: the message goes round again, then to the dead letters
            subscription.onFailure(lane, m, new IllegalStateException("the container refused to run the bean as "
                    + (caller == null ? "the container's identity" : "MQTT user " + caller.name() + " (runAsPublisher)")
                    + ": give it @PermitAll or @RolesAllowed for that user's roles", failure));
        } else {
            subscription.onFailure(lane, m, failure instanceof Exception e ? e
                    : new IllegalStateException(failure == null ? "the bean's transaction was rolled back" : failure.toString(),
                            failure));
        }
        if (failure instanceof Error error && !(error instanceof AssertionError)) {
            throw error; // a VirtualMachineError and its like are not ours to swallow; the message is already requeued
        }
        return true;
    }

    /**
     * Whether the container's security refused the caller before the bean's method ran (EJB: an
     * {@code EJBAccessException}, by name, as the adapter does not link against the EJB API).
     */
    private static boolean refusedCaller(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SecurityException || t.getClass().getName().equals("jakarta.ejb.EJBAccessException")) {
                return true;
            }
        }
        return false;
    }
}
