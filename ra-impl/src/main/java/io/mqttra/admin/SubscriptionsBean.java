package io.mqttra.admin;

import io.mqttra.api.MqttTopics;
import io.mqttra.api.management.SubscriberInfo;
import io.mqttra.api.management.SubscriptionsMXBean;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.Subscription;
import io.mqttra.broker.SubscriptionAdministration;
import java.util.ArrayList;
import java.util.List;

/** {@link SubscriptionsMXBean}: the broker's subscription tree through {@link SubscriptionAdministration}. */
final class SubscriptionsBean implements SubscriptionsMXBean {

    private final MqttBroker broker;
    private final SubscriptionAdministration subscriptions;

    SubscriptionsBean(MqttBroker broker) {
        this.broker = broker;
        this.subscriptions = broker.subscriptionAdministration();
    }

    @Override
    public int getCount() {
        return broker.subscriptionCount();
    }

    /** Walks only as far as the page's end: the subscriptions after it are not read. */
    @Override
    public SubscriberInfo[] find(String filter, int offset, int limit) {
        Page page = new Page(offset, limit);
        checkFilter(filter);
        List<SubscriberInfo> found = new ArrayList<>();
        int[] toSkip = {page.offset()};
        subscriptions.forEachOverlapping(filter, e -> {
            if (toSkip[0] > 0) {
                toSkip[0]--;
                return true;
            }
            found.add(info(e));
            return found.size() < page.limit();
        });
        OperationLog.queried("looked up the subscriptions receiving '" + filter + "' (" + found.size() + " on the page)");
        return found.toArray(SubscriberInfo[]::new);
    }

    @Override
    public int count(String filter) {
        checkFilter(filter);
        return subscriptions.countOverlapping(filter);
    }

    private static void checkFilter(String filter) {
        String problem = filter == null ? "is required" : MqttTopics.topicFilterProblem(filter);
        if (problem == null && filter.startsWith(Subscription.SHARE_PREFIX)) {
            problem = "is a shared subscription's; give the filter without $share/<group>/";
        }
        if (problem != null) {
            throw new IllegalArgumentException("filter " + problem);
        }
    }

    private static SubscriberInfo info(SubscriptionAdministration.Entry e) {
        Subscription s = e.subscription();
        return new SubscriberInfo(e.subscriber(), e.mqttClient(), s.filter(), s.shareGroup(), s.qos(), s.noLocal(),
                s.retainAsPublished(), s.retainHandling(), s.subscriptionId());
    }
}
