package io.mqttra.bench;

import com.sun.tools.attach.VirtualMachine;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads every attribute of every MQTT-RA MXBean ({@code io.mqttra:*}: Broker, Clients, Subscriptions,
 * Retained, DeadLetters, each Activation) once a second over JMX while a broker is measured, as a
 * Prometheus JMX exporter scraping each second would: what the MXBeans cost on the hot path is then the
 * ratio of {@code wildfly} (scraped) to {@code wildfly-nojmx} (adapter property {@code managementEnabled=false})
 * in the same run. The connection is the JDK's local management agent (RMI), which the attach API starts
 * in the server: each read crosses a connector and is serialized, as a remote scrape is.
 */
final class JmxScraper implements AutoCloseable {

    private static final ObjectName ALL = name("io.mqttra:*");

    private final JMXConnector connector;
    private final Thread thread;
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong attributes = new AtomicLong();
    private final long pid;
    private volatile String failure;
    private volatile boolean stop;
    private volatile boolean paused;

    private JmxScraper(JMXConnector connector, BrokerUnderTest broker) {
        this.connector = connector;
        this.pid = broker.pid();
        String brokerName = broker.name;
        this.thread = new Thread(this::scrapeEachSecond, "jmx-scraper-" + brokerName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts scraping {@code broker}'s JVM. */
    static JmxScraper start(BrokerUnderTest broker) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(broker.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
        JmxScraper scraper = new JmxScraper(c, broker);
        System.out.println("   scraping every MQTT-RA MXBean attribute of " + broker.name + " once a second over JMX");
        return scraper;
    }

    private void scrapeEachSecond() {
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            long next = System.nanoTime();
            while (!stop) {
                if (!paused) {
                    scrape(server);
                }
                next += 1_000_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e.toString();
        }
    }

    private void scrape(MBeanServerConnection server) throws Exception {
        for (ObjectName bean : server.queryNames(ALL, null)) {
            MBeanAttributeInfo[] info = server.getMBeanInfo(bean).getAttributes();
            String[] names = new String[info.length];
            for (int i = 0; i < info.length; i++) {
                names[i] = info[i].getName();
            }
            attributes.addAndGet(server.getAttributes(bean, names).size());
        }
        scrapes.incrementAndGet();
    }

    /**
     * What a scrape costs the idle server in CPU, which the throughput ratios cannot resolve on a shared
     * machine: the server's CPU time (utime + stime from /proc) over {@code seconds} without scraping,
     * then over as long with one scrape a second; prints the difference per scrape.
     */
    void reportIdleCost(int seconds) throws Exception {
        paused = true;
        Thread.sleep(1000);
        long quiet = cpuMillisOver(seconds);
        long before = scrapes.get();
        paused = false;
        long scraped = cpuMillisOver(seconds);
        long n = Math.max(1, scrapes.get() - before);
        System.out.printf(java.util.Locale.ROOT, "   idle server CPU over %d s: %d ms without scraping, %d ms with %d scrapes:"
                + " %.1f ms of CPU per scrape (%.2f%% of one core at one scrape a second)%n", seconds, quiet, scraped, n,
                (scraped - quiet) / (double) n, (scraped - quiet) / (double) n / 10);
    }

    private long cpuMillisOver(int seconds) throws Exception {
        long start = cpuMillis();
        Thread.sleep(seconds * 1000L);
        return cpuMillis() - start;
    }

    /** utime + stime of the server process, in milliseconds (clock ticks of 10 ms). */
    private long cpuMillis() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    @Override
    public void close() throws Exception {
        stop = true;
        thread.interrupt();
        thread.join(5000);
        connector.close();
        System.out.println("   JMX scraper: " + scrapes.get() + " scrapes, " + attributes.get() + " attribute values read"
                + (failure != null ? "; it stopped on " + failure : ""));
        if (failure != null || scrapes.get() == 0 || attributes.get() == 0) {
            throw new IllegalStateException("the JMX scraper did not read the MXBeans (" + failure + "): the figures of "
                    + "this broker would not include their cost");
        }
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
