package io.mqttra.it.admin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** What {@link AdminOrdersMdb} processed, and whether it may process poison yet: shared with the probe servlet. */
public final class OrdersState {

    static final List<String> PROCESSED = new CopyOnWriteArrayList<>();
    static final AtomicBoolean CURED = new AtomicBoolean();

    private OrdersState() {
    }
}
