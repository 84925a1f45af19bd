/**
 * The adapter's management interface: MXBeans in the platform MBean server under the domain
 * {@code io.mqttra} ({@link io.mqttra.api.management.ManagementNames}). Every attribute, parameter and
 * result is an open type (records become {@code CompositeData}), so that JConsole, VisualVM and remote
 * JMX clients show them without these classes; with these classes on the classpath,
 * {@code JMX.newMXBeanProxy} gives typed access.
 */
package io.mqttra.api.management;
