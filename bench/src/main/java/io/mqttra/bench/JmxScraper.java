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
    private volatile String failure;
    private volatile boolean stop;

    private JmxScraper(JMXConnector connector, String brokerName) {
        this.connector = connector;
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
        JmxScraper scraper = new JmxScraper(c, broker.name);
        System.out.println("   scraping every MQTT-RA MXBean attribute of " + broker.name + " once a second over JMX");
        return scraper;
    }

    private void scrapeEachSecond() {
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            long next = System.nanoTime();
            while (!stop) {
                for (ObjectName bean : server.queryNames(ALL, null)) {
                    MBeanAttributeInfo[] info = server.getMBeanInfo(bean).getAttributes();
                    String[] names = new String[info.length];
                    for (int i = 0; i < info.length; i++) {
                        names[i] = info[i].getName();
                    }
                    attributes.addAndGet(server.getAttributes(bean, names).size());
                }
                scrapes.incrementAndGet();
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
