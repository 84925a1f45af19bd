package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bad configuration is refused with a message that names the property. */
class ConfigurationValidationTest {

    @Test
    void portOutOfRangeNamesTheListenersProperty() {
        MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
        ra.setListeners("tcp://0.0.0.0:70000");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertEquals("Invalid MQTT-RA resource adapter property 'listeners': 'tcp://0.0.0.0:70000' needs a port between 0 and 65535",
                e.getMessage());
    }

    @Test
    void unknownSchemeNamesTheListenersProperty() {
        MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
        ra.setListeners("tcp://0.0.0.0:1883, quic://0.0.0.0:1884");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage()
                .contains("'listeners': 'quic://0.0.0.0:1884' has no known scheme"));
    }

    @Test
    void tlsListenerWithoutKeyStoreNamesKeyStore() {
        MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
        ra.setListeners("ssl://0.0.0.0:8883");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'keyStore'"));
    }

    @Test
    void unreadableKeyStoreFailsTheStartNamingTheListener() {
        MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
        ra.setListeners("ssl://127.0.0.1:0");
        ra.setKeyStore("/nonexistent/server.p12");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertTrue(e.getMessage().contains("ssl://127.0.0.1:0") && e.getMessage().contains("/nonexistent/server.p12"),
                e.getMessage());
    }

    @Test
    void portInUseNamesTheListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
            ra.setListeners("tcp://127.0.0.1:" + taken.getLocalPort());
            ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
            assertTrue(e.getMessage().contains("Cannot open MQTT listener tcp://127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void otherLimitsAreCheckedByName() {
        MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
        ra.setMaxPacketSize(1);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'maxPacketSize'"));
        ra.setMaxPacketSize(1024);
        ra.setConnectTimeoutSeconds(0);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'connectTimeoutSeconds'"));
        ra.setConnectTimeoutSeconds(5);
        ra.setMaxClientSessions(0);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'maxClientSessions'"));
        ra.setMaxClientSessions(10);
        ra.setMqtt3ReceiveMaximum(65_536);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'mqtt3ReceiveMaximum'"));
        ra.setMqtt3ReceiveMaximum(100);
        ra.setMaxConnectionsPerSecondPerAddress(-1);
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage()
                .contains("'maxConnectionsPerSecondPerAddress'"));
        ra.setMaxConnectionsPerSecondPerAddress(0);
        ra.setQueueOverflow("DROP_RANDOM");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'queueOverflow'"));
        ra.setQueueOverflow("drop_oldest");
        ra.setClientAuth("maybe");
        ra.setListeners("ssl://0.0.0.0:8883");
        ra.setKeyStore("server.p12");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, ra::brokerConfig).getMessage().contains("'clientAuth'"));
    }

    @Test
    void activationNeedsATopicFilter() {
        MqttActivationSpec spec = new MqttActivationSpec();
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(e.getMessage().contains("'topicFilter'"), e.getMessage());
    }

    @Test
    void invalidTopicFilterIsRefused() {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("sensors/#/temperature");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(e.getMessage().contains("'topicFilter'") && e.getMessage().contains("sensors/#/temperature"), e.getMessage());
    }

    @Test
    void destinationIsAcceptedAsTheFilterWhenTopicFilterIsAbsent() {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setDestination("sensors/+/temperature");
        assertDoesNotThrow(spec::validate);
        assertEquals("sensors/+/temperature", spec.effectiveTopicFilter());
    }

    @Test
    void qosMaxSessionsBodyTypeAndDestinationTypeAreChecked() {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("a/#");
        spec.setQos(3);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'qos'"));
        spec.setQos(2);
        spec.setMaxSessions(0);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'maxSessions'"));
        spec.setMaxSessions(4);
        spec.setBodyType("xml");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'bodyType'"));
        spec.setBodyType("text");
        spec.setDestinationType("jakarta.jms.Queue");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'destinationType'"));
        spec.setDestinationType("jakarta.jms.Topic");
        assertDoesNotThrow(spec::validate);
    }

    @Test
    void deliveryPropertiesAreCheckedByName() {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("a/#");
        spec.setMessageSelector("unit = ");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'messageSelector'"));
        spec.setMessageSelector("unit = 'C'");
        spec.setSubscriptionDurability("Forever");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'subscriptionDurability'"));
        spec.setSubscriptionDurability("Durable");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'subscriptionName'"));
        spec.setSubscriptionName("orders");
        spec.setClientId("shop");
        assertDoesNotThrow(spec::validate);
        assertEquals("shop/orders", spec.durableName());
        spec.setShareName("workers");
        assertDoesNotThrow(spec::validate, "a durable subscription may be shared");
        spec.setShareName("work/ers");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'shareName'"));
        spec.setShareName(null);
        spec.setOrdering("by-device");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'ordering'"));
        spec.setOrdering("none");
        assertDoesNotThrow(spec::validate);
        spec.setDeadLetterTopic("dead/+");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'deadLetterTopic'"));
        spec.setDeadLetterTopic("");
        spec.setRedeliveryDelay(-1L);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().contains("'redeliveryDelay'"));
    }

    @Test
    void aDataDirectoryInUseFailsTheStartNamingDataDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (var held = io.mqttra.store.MvMessageStore.open(dir)) {
            MqttResourceAdapter ra = anonymous(new MqttResourceAdapter());
            ra.setListeners("tcp://127.0.0.1:0");
            ra.setDataDirectory(dir.toString());
            ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
            assertTrue(e.getMessage().contains("'dataDirectory'"), e.getMessage());
            MqttResourceAdapter memoryOnly = anonymous(new MqttResourceAdapter());
            memoryOnly.setListeners("tcp://127.0.0.1:0");
            memoryOnly.setDataDirectory(dir.toString());
            memoryOnly.setPersistence(false);
            assertDoesNotThrow(() -> memoryOnly.start(null));
            memoryOnly.stop();
        }
    }

    @Test
    void aDestinationLookupThatFindsNothingNamesTheProperty() {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setDestinationLookup("java:/mqtt/topic/none");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::resolveDestination);
        assertTrue(e.getMessage().contains("'destinationLookup'") && e.getMessage().contains("java:/mqtt/topic/none"),
                e.getMessage());
        MqttActivationSpec literal = new MqttActivationSpec();
        literal.setDestination("sensors/#");
        assertDoesNotThrow(literal::resolveDestination);
        assertEquals("sensors/#", literal.effectiveTopicFilter(), "a destination that is not a JNDI name is the filter");
    }

    /** These tests start the adapter without a server, hence without the security inflow that container logins need. */
    private static MqttResourceAdapter anonymous(MqttResourceAdapter ra) {
        ra.setAuthentication("anonymous");
        return ra;
    }

    @Test
    void containerLoginsWithoutSecurityInflowFailTheStartNamingAuthentication() {
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setListeners("tcp://127.0.0.1:0");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        assertTrue(e.getMessage().startsWith("Invalid MQTT-RA resource adapter property 'authentication': checking passwords"
                + " with the server's security needs JCA security inflow"), e.getMessage());
    }

    @Test
    void anUnknownModeOrABadRuleFailsTheStartNamingTheProperty() {
        MqttResourceAdapter mode = anonymous(new MqttResourceAdapter());
        mode.setAuthentication("ldap");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> mode.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'authentication': 'ldap' is not an authentication mode"));
        MqttResourceAdapter listener = anonymous(new MqttResourceAdapter());
        listener.setListeners("tcp://127.0.0.1:0?auth=password-file");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> listener.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'listeners': listener tcp-0: 'password-file' is not"));
        MqttResourceAdapter rules = anonymous(new MqttResourceAdapter());
        rules.setAclRules("allow all publish a/#; allow all read b/#");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> rules.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'aclRules': aclRules, line 2: unknown action 'read'"));
        MqttResourceAdapter file = anonymous(new MqttResourceAdapter());
        file.setAclFile("/nonexistent/acl");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> file.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'aclFile': /nonexistent/acl"));
        MqttResourceAdapter jaas = new MqttResourceAdapter();
        jaas.setListeners("tcp://127.0.0.1:0?auth=jaas");
        jaas.setJaasConfiguration("no-such-configuration");
        assertTrue(assertThrows(ResourceAdapterInternalException.class, () -> jaas.start(null)).getMessage()
                .startsWith("Invalid MQTT-RA resource adapter property 'jaasConfiguration'"));
    }
}
