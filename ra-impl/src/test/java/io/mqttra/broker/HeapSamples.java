package io.mqttra.broker;

import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This JVM's heap after a full GC, and its direct memory, at points of a long test: whether what the
 * test did left anything behind. The reference is the sample labelled {@value #WARM}, taken once the
 * JIT, Netty's pools and the broker's bounded stores have filled.
 */
final class HeapSamples {

    static final String WARM = "after the warm-up";

    /** One sample: heap used after GC, the JVM's direct buffers, and Netty's pooled direct memory in use. */
    record Sample(String label, long inputs, long heapBytes, long directBytes, long nettyPooledDirectBytes) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Takes a sample, and returns it as a line for the progress log. */
    String sample(String label, long inputs) throws InterruptedException {
        long heap = Long.MAX_VALUE;
        // the smallest of three: a collection that ran while a finalizer or reference handler still
        // held something reads high
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        Sample s = new Sample(label, inputs, heap, direct, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        samples.add(s);
        return String.format(Locale.ROOT, "%,d inputs: heap after GC %.1f MiB, direct %.1f MiB %s", inputs, mib(heap),
                mib(direct), label);
    }

    /** Every sample from the warm one on, the last included, within {@code toleranceMib} of the warm one. */
    void assertFlat(long toleranceMib) {
        Sample warm = samples.stream().filter(s -> s.label().equals(WARM)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + WARM));
        long limit = warm.heapBytes() + toleranceMib * 1024 * 1024;
        for (Sample s : samples.subList(samples.indexOf(warm), samples.size())) {
            if (s.heapBytes() > limit) {
                throw new AssertionError(String.format(Locale.ROOT, "the heap grew: %.1f MiB after GC at %,d inputs, %.1f MiB"
                        + " after the warm-up (tolerance %d MiB)%n%s", mib(s.heapBytes()), s.inputs(), mib(warm.heapBytes()),
                        toleranceMib, this));
            }
        }
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("| inputs | heap after GC (MiB) | direct buffers (MiB) | Netty pooled direct (MiB) | when |\n"
                + "|---:|---:|---:|---:|---|\n");
        for (Sample s : samples) {
            b.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f | %s |%n", s.inputs(), mib(s.heapBytes()),
                    mib(s.directBytes()), mib(s.nettyPooledDirectBytes()), s.label()));
        }
        return b.toString();
    }
}
