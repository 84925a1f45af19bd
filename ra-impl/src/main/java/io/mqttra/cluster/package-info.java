/**
 * The grid: Hazelcast implementations of the broker's {@link io.mqttra.broker.ClusterBus}. Each broker is
 * a node with an inbox (a ringbuffer in the grid) through which the others send it what it needs: the
 * messages its subscribers match, route changes, takeovers. Nodes find each other in a map of nodes.
 * Embedded member by default; client mode joins an external Hazelcast cluster. See docs/cluster.md.
 *
 * <p>May use: {@code io.mqttra.broker}, {@code io.mqttra.store}, Hazelcast and the JDK. The engine reaches
 * this package only through {@code ClusterBus}, so it runs without Hazelcast on its classpath.
 */
package io.mqttra.cluster;
