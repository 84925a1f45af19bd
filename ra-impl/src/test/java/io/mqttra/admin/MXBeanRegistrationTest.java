package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ManagementNames;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.MqttResourceAdapter;
import io.mqttra.jca.inbound.ExecutorWorkManager;
import io.mqttra.jca.inbound.TestBootstrapContext;
import io.mqttra.jca.inbound.FakeEndpointFactory;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.Descriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ObjectName;
import javax.management.openmbean.OpenType;
import org.junit.jupiter.api.Test;

/**
 * The adapter's MXBeans are in the platform MBean server from its start to its stop, with stable names,
 * also across a redeploy and with two adapters in one JVM, and their types are open types only.
 */
class MXBeanRegistrationTest {

    private static final List<String> ADAPTER_BEANS = List.of(ManagementNames.BROKER, ManagementNames.CLIENTS,
            ManagementNames.SUBSCRIPTIONS, ManagementNames.RETAINED, ManagementNames.TOPICS, ManagementNames.DEAD_LETTERS);

    @Test
    void theMXBeansAreRegisteredWhileTheAdapterRunsAndUnregisteredWhenItStops() throws Exception {
        List<ObjectName> names;
        try (AdapterUnderTest adapter = new AdapterUnderTest()) {
            names = ADAPTER_BEANS.stream().map(adapter::name).toList();
            for (ObjectName n : names) {
                assertTrue(AdapterUnderTest.SERVER.isRegistered(n), n + " registered");
            }
        }
        for (ObjectName n : names) {
            assertFalse(AdapterUnderTest.SERVER.isRegistered(n), n + " unregistered by stop()");
        }
    }

    @Test
    void withManagementEnabledFalseTheAdapterRegistersNoMXBean() throws Exception {
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        ra.setPersistence(false);
        ra.setManagementEnabled(false);
        ExecutorService threads = Executors.newCachedThreadPool();
        Set<ObjectName> before = AdapterUnderTest.SERVER.queryNames(ManagementNames.name(ManagementNames.DOMAIN + ":*"), null);
        try {
            ra.start(new TestBootstrapContext(new ExecutorWorkManager(threads)));
            FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> { });
            MqttActivationSpec spec = new MqttActivationSpec();
            spec.setTopicFilter("orders/#");
            ra.endpointActivation(bean, spec);
            assertEquals(before, AdapterUnderTest.SERVER.queryNames(ManagementNames.name(ManagementNames.DOMAIN + ":*"), null),
                    "nothing registered, not even the bean's activation");
        } finally {
            ra.stop();
            threads.shutdownNow();
        }
    }

    @Test
    void aRedeployedAdapterRegistersTheSameNamesAgain() throws Exception {
        Set<ObjectName> first;
        try (AdapterUnderTest adapter = new AdapterUnderTest()) {
            first = names(adapter);
        }
        for (int round = 2; round <= 3; round++) {
            try (AdapterUnderTest adapter = new AdapterUnderTest()) {
                assertEquals(first, names(adapter), "round " + round + ": no InstanceAlreadyExists, the same names");
            }
        }
    }

    @Test
    void aSecondAdapterInTheJvmAddsItsNumberToItsNames() throws Exception {
        try (AdapterUnderTest one = new AdapterUnderTest(); AdapterUnderTest two = new AdapterUnderTest()) {
            ObjectName firstBroker = one.name(ManagementNames.BROKER);
            ObjectName secondBroker = two.name(ManagementNames.BROKER);
            assertNotEquals(firstBroker, secondBroker);
            assertNotNull(secondBroker.getKeyProperty("adapter"), "the later adapter's names carry adapter=<n>: " + secondBroker);
            for (String bean : ADAPTER_BEANS) {
                assertEquals(secondBroker.getKeyProperty("adapter"), two.name(bean).getKeyProperty("adapter"));
                assertTrue(AdapterUnderTest.SERVER.isRegistered(two.name(bean)), two.name(bean) + " registered");
            }
        }
    }

    @Test
    void eachActiveBeanHasItsActivationMXBean() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest()) {
            FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> { });
            MqttActivationSpec spec = new MqttActivationSpec();
            spec.setTopicFilter("orders/#");
            adapter.activate(bean, spec);
            ObjectName name = adapter.activationName(bean.getEndpointClass().getName());
            assertTrue(AdapterUnderTest.SERVER.isRegistered(name), name + " registered on activation");

            adapter.ra.endpointDeactivation(bean, spec);
            assertFalse(AdapterUnderTest.SERVER.isRegistered(name), name + " unregistered on deactivation");
        }
    }

    @Test
    void everyAttributeParameterAndResultIsAnOpenType() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest()) {
            FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> { });
            MqttActivationSpec spec = new MqttActivationSpec();
            spec.setTopicFilter("orders/#");
            adapter.activate(bean, spec);
            List<ObjectName> all = new java.util.ArrayList<>(ADAPTER_BEANS.stream().map(adapter::name).toList());
            all.add(adapter.activationName(bean.getEndpointClass().getName()));
            for (ObjectName n : all) {
                MBeanInfo info = AdapterUnderTest.SERVER.getMBeanInfo(n);
                assertEquals("true", info.getDescriptor().getFieldValue("mxbean"), n + " is an MXBean");
                for (MBeanAttributeInfo a : info.getAttributes()) {
                    assertOpen(n + " attribute " + a.getName(), a.getDescriptor());
                }
                for (MBeanOperationInfo op : info.getOperations()) {
                    assertOpen(n + " " + op.getName() + "()", op.getDescriptor());
                    for (MBeanParameterInfo p : op.getSignature()) {
                        assertOpen(n + " " + op.getName() + "(" + p.getName() + ")", p.getDescriptor());
                        assertFalse(p.getName().matches("p\\d+"), n + " " + op.getName() + " names its parameters: " + p.getName());
                    }
                }
            }
        }
    }

    private static void assertOpen(String what, Descriptor d) {
        Object type = d.getFieldValue("openType");
        assertTrue(type instanceof OpenType<?>, what + " has an open type: " + type);
    }

    private static Set<ObjectName> names(AdapterUnderTest adapter) throws Exception {
        Set<ObjectName> names = new TreeSet<>();
        for (String bean : ADAPTER_BEANS) {
            names.add(adapter.name(bean));
        }
        return names;
    }
}
