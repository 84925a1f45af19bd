package io.mqttra.admin;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.jca.inbound.ActivationStatistics;
import io.mqttra.jca.inbound.EndpointSubscription;
import java.util.Date;

/** {@link ActivationMXBean}: one bean's {@link EndpointSubscription}. */
final class ActivationBean implements ActivationMXBean {

    private final EndpointSubscription activation;

    ActivationBean(EndpointSubscription activation) {
        this.activation = activation;
    }

    @Override
    public String getBeanName() {
        return activation.beanName();
    }

    @Override
    public String getTopicFilter() {
        return activation.subscription().filter();
    }

    @Override
    public String getShareName() {
        return activation.subscription().shareGroup();
    }

    @Override
    public int getQos() {
        return activation.subscription().qos();
    }

    @Override
    public boolean isDurable() {
        return activation.durableName() != null;
    }

    @Override
    public String getSubscriptionName() {
        return activation.durableName();
    }

    @Override
    public String getSelector() {
        return activation.settings().selector() == null ? "" : activation.settings().selector().toString();
    }

    @Override
    public int getMaxSessions() {
        return activation.settings().maxSessions();
    }

    @Override
    public String getState() {
        return activation.state().name();
    }

    @Override
    public int getQueued() {
        return activation.queuedCount();
    }

    @Override
    public int getInFlight() {
        return activation.inFlightCount();
    }

    @Override
    public long getDelivered() {
        return activation.statistics().delivered();
    }

    @Override
    public long getRedelivered() {
        return activation.statistics().redelivered();
    }

    @Override
    public long getDeadLettered() {
        return activation.statistics().deadLettered();
    }

    @Override
    public long getDropped() {
        return activation.statistics().dropped();
    }

    @Override
    public String getLastError() {
        ActivationStatistics.Failure f = activation.statistics().lastFailure();
        return f == null ? null : f.error();
    }

    @Override
    public Date getLastErrorTime() {
        ActivationStatistics.Failure f = activation.statistics().lastFailure();
        return f == null ? null : new Date(f.at());
    }

    @Override
    public void pause() {
        activation.pause();
        OperationLog.changed("paused deliveries to message-driven bean " + activation.beanName() + " ("
                + activation.queuedCount() + " queued)");
    }

    @Override
    public void resume() {
        activation.resume();
        OperationLog.changed("resumed deliveries to message-driven bean " + activation.beanName() + " ("
                + activation.queuedCount() + " queued)");
    }
}
