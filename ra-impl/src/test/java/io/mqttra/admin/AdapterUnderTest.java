package io.mqttra.admin;

import io.mqttra.api.management.ManagementNames;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.MqttResourceAdapter;
import io.mqttra.jca.inbound.ExecutorWorkManager;
import io.mqttra.jca.inbound.TestBootstrapContext;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A started resource adapter with an anonymous listener on a free port, a WorkManager on a thread pool,
 * and its MXBeans found by that port (another adapter a test left running would have taken the plain names).
 */
final class AdapterUnderTest implements AutoCloseable {

    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    final MqttResourceAdapter ra = new MqttResourceAdapter();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String adapterKey;

    /** With {@code dataDirectory} null: without persistence; {@code configure} sets further properties. */
    AdapterUnderTest(Path dataDirectory, Consumer<MqttResourceAdapter> configure) throws Exception {
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        if (dataDirectory == null) {
            ra.setPersistence(false);
        } else {
            ra.setDataDirectory(dataDirectory.toString());
        }
        configure.accept(ra);
        ra.start(new TestBootstrapContext(new ExecutorWorkManager(threads)));
        adapterKey = keyOf(port());
    }

    AdapterUnderTest(Path dataDirectory) throws Exception {
        this(dataDirectory, ra -> { });
    }

    AdapterUnderTest() throws Exception {
        this(null);
    }

    int port() {
        return ra.broker().localAddress().getPort();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** The name {@code name} (a {@link ManagementNames} constant) has for this adapter. */
    ObjectName name(String name) {
        return ManagementNames.name(name + adapterKey);
    }

    <T> T mxbean(String name, Class<T> type) {
        return JMX.newMXBeanProxy(SERVER, name(name), type);
    }

    /** The name of the activation of the bean class named {@code beanName}. */
    ObjectName activationName(String beanName) {
        return ManagementNames.name(ManagementNames.ACTIVATION_PREFIX + ManagementNames.quoteIfNeeded(beanName) + adapterKey);
    }

    <T> T activation(String beanName, Class<T> type) {
        return JMX.newMXBeanProxy(SERVER, activationName(beanName), type);
    }

    void activate(MessageEndpointFactory bean, MqttActivationSpec spec) throws Exception {
        ra.endpointActivation(bean, spec);
    }

    void publish(String topic, String payload, int qos, boolean retain) {
        ra.broker().publish(new PublishedMessage(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, "app", "clerk",
                System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE));
    }

    @Override
    public void close() {
        ra.stop();
        threads.shutdownNow();
    }

    /** {@code ""} or {@code ",adapter=<n>"}: the key of the adapter whose Broker MXBean lists a listener on {@code port}. */
    private static String keyOf(int port) throws Exception {
        for (ObjectName broker : SERVER.queryNames(ManagementNames.name(ManagementNames.BROKER + ",*"), null)) {
            for (CompositeData listener : (CompositeData[]) SERVER.getAttribute(broker, "Listeners")) {
                if (((String) listener.get("address")).endsWith(":" + port)) {
                    String n = broker.getKeyProperty("adapter");
                    return n == null ? "" : ",adapter=" + n;
                }
            }
        }
        throw new AssertionError("no Broker MXBean lists a listener on port " + port);
    }
}
