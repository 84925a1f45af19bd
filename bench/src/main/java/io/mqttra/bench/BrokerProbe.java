package io.mqttra.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What a broker process holds, read from outside it: live threads and open file descriptors from
 * {@code /proc/<pid>}, resident memory, and for a JVM broker the heap after a full GC and the direct
 * buffers (the {@code direct} buffer pool, where Netty's buffers are counted when it allocates them
 * through {@code ByteBuffer.allocateDirect}, as it does on Java 17 without
 * {@code -Dio.netty.tryReflectionSetAccessible=true}), over JMX from the local management agent, which
 * the attach API starts in the broker. Native memory tracking, the other way to see direct memory,
 * is off by default and would change the process measured.
 */
final class BrokerProbe implements AutoCloseable {

    /** One reading; -1 for what the process does not have (a heap for Mosquitto) or did not tell. */
    record Reading(long heapBytes, long directBytes, long threads, long fileDescriptors, long rssBytes) {
    }

    private final long pid;
    private final boolean jvm;
    private final JMXConnector jmx;
    private final MemoryMXBean memory;
    private final List<BufferPoolMXBean> bufferPools;

    BrokerProbe(BrokerUnderTest broker) {
        pid = broker.pid();
        jvm = broker.isJvm();
        JMXConnector connector = null;
        MemoryMXBean m = null;
        List<BufferPoolMXBean> pools = List.of();
        if (broker.isJvm()) {
            try {
                VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
                String address;
                try {
                    address = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
                MBeanServerConnection server = connector.getMBeanServerConnection();
                m = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                pools = ManagementFactory.getPlatformMXBeans(server, BufferPoolMXBean.class);
            } catch (Exception | LinkageError e) {
                System.out.println("   cannot read " + broker.name + "'s memory over JMX (" + e
                        + "); the heap from jcmd, direct memory not measured");
            }
        }
        jmx = connector;
        memory = m;
        bufferPools = pools;
    }

    /** Reads the process now; a JVM's heap after a full collection (System.gc, as jcmd GC.run does). */
    Reading read() throws IOException, InterruptedException {
        long heap = -1;
        long direct = -1;
        if (memory != null) {
            memory.gc();
            heap = memory.getHeapMemoryUsage().getUsed();
            direct = bufferPools.stream().filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        } else if (jvm) {
            heap = IdleConnections.BrokerMemory.heapAfterGc(pid);
        }
        long threads = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        return new Reading(heap, direct, threads, fds, rss);
    }

    @Override
    public void close() throws IOException {
        if (jmx != null) {
            jmx.close();
        }
    }
}
