/**
 * Administration: the runtime MXBeans of {@code io.mqttra.api.management}, registered in the platform
 * MBean server while the adapter runs. {@link io.mqttra.admin.JmxAdministration} follows the adapter as
 * an {@link io.mqttra.jca.AdapterListener} that the adapter finds with {@code ServiceLoader}, so that the
 * adapter never names this package. The MXBeans read the broker's own counters (the figures of
 * {@code $SYS}), and each operation that changes something is logged with the administrator's identity.
 *
 * <p>May use: {@code io.mqttra.jca}, {@code io.mqttra.jca.inbound}, {@code io.mqttra.broker},
 * {@code io.mqttra.api} and the JDK's {@code javax.management}. No layer uses this one.
 */
package io.mqttra.admin;
