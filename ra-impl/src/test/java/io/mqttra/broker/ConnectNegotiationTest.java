package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.ConnectNegotiation.Accepted;
import io.mqttra.broker.ConnectNegotiation.Refused;
import io.mqttra.broker.ConnectNegotiation.Violation;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageBuilders.ConnectBuilder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer to CONNECT, decided without a network (MQTT 5.0 sections 3.1 and 3.2; 3.1.1 sections 3.1 and 3.2). */
class ConnectNegotiationTest {

    private static final BrokerConfig DEFAULTS = BrokerConfig.builder().build();

    private static ConnectBuilder v311(String clientId) {
        return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(clientId).cleanSession(true);
    }

    private static ConnectBuilder v5(String clientId, IntegerProperty... properties) {
        MqttProperties props = new MqttProperties();
        for (IntegerProperty p : properties) {
            props.add(p);
        }
        return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId).cleanSession(true)
                .properties(props);
    }

    private static IntegerProperty property(MqttPropertyType type, int value) {
        return new IntegerProperty(type.value(), value);
    }

    private static ConnectNegotiation.Outcome negotiate(ConnectBuilder connect, BrokerConfig config) {
        return ConnectNegotiation.negotiate(connect.build(), config, 0);
    }

    private static Accepted accepted(ConnectBuilder connect, BrokerConfig config) {
        return assertInstanceOf(Accepted.class, negotiate(connect, config));
    }

    private static Refused refused(ConnectNegotiation.Outcome outcome, MqttConnectReturnCode code) {
        Refused refused = assertInstanceOf(Refused.class, outcome);
        assertEquals(code, refused.code());
        return refused;
    }

    private static Object connAck(Accepted accepted, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = accepted.connAckProperties().getProperty(type.value());
        return p == null ? null : p.value();
    }

    // --- refusals, in the order the checks run ---

    @Test
    void enhancedAuthenticationIsRefusedWith0x8C_MQTT_4_12_0_1() {
        MqttProperties props = new MqttProperties();
        props.add(new StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(), "SCRAM-SHA-1"));
        ConnectBuilder connect = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("c")
                .properties(props);
        refused(negotiate(connect, DEFAULTS), MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
    }

    @Test
    void maxConnectionsRefuses311WithServerUnavailableAndCountsIt() {
        BrokerConfig config = BrokerConfig.builder().maxConnections(2).build();
        assertInstanceOf(Accepted.class, ConnectNegotiation.negotiate(v311("c").build(), config, 1));
        Refused refused = refused(ConnectNegotiation.negotiate(v311("c").build(), config, 2),
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        assertTrue(refused.connectionLimitReached());
        assertTrue(refused.why().contains("maxConnections (2)"), refused.why());
    }

    @Test
    void maxConnectionsRefusesMqtt5WithQuotaExceeded() {
        BrokerConfig config = BrokerConfig.builder().maxConnections(1).build();
        Refused refused = refused(ConnectNegotiation.negotiate(v5("c").build(), config, 1),
                MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED);
        assertTrue(refused.connectionLimitReached());
    }

    @Test
    void clientIdLongerThanTheLimitIsRejected() {
        BrokerConfig config = BrokerConfig.builder().maxClientIdLength(5).build();
        assertInstanceOf(Accepted.class, negotiate(v311("12345"), config));
        Refused refused = refused(negotiate(v311("123456"), config), MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertFalse(refused.connectionLimitReached());
        refused(negotiate(v5("123456"), config), MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void emptyClientIdWithPersistentSessionIsRejectedWithCode2_MQTT_3_1_3_8() {
        refused(negotiate(v311("").cleanSession(false), DEFAULTS), MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
    }

    @Test
    void willWithQos3IsAProtocolViolation_MQTT_3_1_2_14() {
        ConnectBuilder connect = v311("c").willFlag(true).willTopic("will/topic").willMessage("gone")
                .willQoS(MqttQoS.FAILURE);
        assertInstanceOf(Violation.class, negotiate(connect, DEFAULTS));
    }

    @Test
    void willTopicWithAWildcardIsAProtocolViolation() {
        ConnectBuilder connect = v311("c").willFlag(true).willTopic("will/+").willMessage("gone").willQoS(MqttQoS.AT_MOST_ONCE);
        Violation violation = assertInstanceOf(Violation.class, negotiate(connect, DEFAULTS));
        assertTrue(violation.why().startsWith("invalid will topic"), violation.why());
    }

    @Test
    void aWillTopicBeyondTheTopicLimitsIsRefusedAsAPublishWouldBe() {
        BrokerConfig config = BrokerConfig.builder().maxTopicLevels(2).build();
        ConnectBuilder v3 = v311("c").willFlag(true).willTopic("a/b/c").willMessage("gone").willQoS(MqttQoS.AT_MOST_ONCE);
        Violation violation = assertInstanceOf(Violation.class, negotiate(v3, config));
        assertTrue(violation.why().contains("maxTopicLevels"), violation.why());
        ConnectBuilder v5 = v5("c").willFlag(true).willTopic("a/b/c").willMessage("gone").willQoS(MqttQoS.AT_MOST_ONCE);
        refused(negotiate(v5, config), MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID);
    }

    @Test
    void receiveMaximumOf0IsAProtocolError_section_3_1_2_11_3() {
        refused(negotiate(v5("c", property(MqttPropertyType.RECEIVE_MAXIMUM, 0)), DEFAULTS),
                MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
    }

    @Test
    void maximumPacketSizeOf0IsAProtocolError_section_3_1_2_11_4() {
        refused(negotiate(v5("c", property(MqttPropertyType.MAXIMUM_PACKET_SIZE, 0)), DEFAULTS),
                MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
    }

    // --- accepted connections ---

    @Test
    void emptyClientIdWithCleanSessionGetsAnIdentifierAssigned_MQTT_3_1_3_6() {
        Accepted accepted = accepted(v311(""), DEFAULTS);
        assertTrue(accepted.clientIdAssigned());
        assertTrue(accepted.clientId().startsWith(ConnectNegotiation.ASSIGNED_ID_PREFIX), accepted.clientId());
        assertSame(MqttProperties.NO_PROPERTIES, accepted.connAckProperties());
    }

    @Test
    void mqtt5ClientIsToldTheIdentifierAssignedToIt_section_3_2_2_3_7() {
        Accepted accepted = accepted(v5("").cleanSession(false), DEFAULTS);
        assertTrue(accepted.clientIdAssigned());
        assertEquals(accepted.clientId(), connAck(accepted, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER));
    }

    @Test
    void connAckPropertiesTellTheServersLimitsAndFeatures_section_3_2_2_3() {
        BrokerConfig config = BrokerConfig.builder().maxPacketSize(4096).maxInflightPerClient(7).topicAliasMaximum(3).build();
        Accepted accepted = accepted(v5("c"), config);
        assertEquals(4096, connAck(accepted, MqttPropertyType.MAXIMUM_PACKET_SIZE));
        assertEquals(7, connAck(accepted, MqttPropertyType.RECEIVE_MAXIMUM));
        assertEquals(3, connAck(accepted, MqttPropertyType.TOPIC_ALIAS_MAXIMUM));
        assertEquals(1, connAck(accepted, MqttPropertyType.RETAIN_AVAILABLE));
        assertEquals(1, connAck(accepted, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE));
        assertEquals(1, connAck(accepted, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE));
        assertEquals(1, connAck(accepted, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE));
        assertNull(connAck(accepted, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER));
        assertNull(connAck(accepted, MqttPropertyType.SESSION_EXPIRY_INTERVAL));
        assertNull(connAck(accepted, MqttPropertyType.SERVER_KEEP_ALIVE));
        assertFalse(accepted.clientIdAssigned());
        assertTrue(accepted.mqtt5());
    }

    @Test
    void mqtt311ConnAckHasNoProperties() {
        Accepted accepted = accepted(v311("c"), DEFAULTS);
        assertSame(MqttProperties.NO_PROPERTIES, accepted.connAckProperties());
        assertFalse(accepted.mqtt5());
        assertEquals(MqttVersion.MQTT_3_1_1, accepted.version());
    }

    @Test
    void mqtt5LimitsOfTheClientAreKept_section_3_1_2_11() {
        Accepted accepted = accepted(v5("c", property(MqttPropertyType.RECEIVE_MAXIMUM, 5),
                property(MqttPropertyType.MAXIMUM_PACKET_SIZE, 2000),
                property(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 4)), DEFAULTS);
        assertEquals(new ConnectionLimits(true, 5, 2000, 4), accepted.limits());
    }

    @Test
    void mqtt5LimitsDefaultToNoneAndAnUnsignedMaximumPacketSizeIsCapped() {
        assertEquals(new ConnectionLimits(true, 65_535, Integer.MAX_VALUE, 0), accepted(v5("c"), DEFAULTS).limits());
        Accepted huge = accepted(v5("c", property(MqttPropertyType.MAXIMUM_PACKET_SIZE, -1)), DEFAULTS);
        assertEquals(Integer.MAX_VALUE, huge.limits().maximumPacketSize());
    }

    @Test
    void mqtt311ClientsGetTheBrokersInflightLimit() {
        BrokerConfig config = BrokerConfig.builder().maxInflightPerClient(9).build();
        assertEquals(ConnectionLimits.unlimited(9), accepted(v311("c"), config).limits());
    }

    // --- keep-alive ---

    @Test
    void keepAliveWithinTheMaximumIsKept() {
        BrokerConfig config = BrokerConfig.builder().maxKeepAliveSeconds(60).build();
        Accepted accepted = accepted(v5("c").keepAlive(30), config);
        assertEquals(30, accepted.keepAliveSeconds());
        assertNull(connAck(accepted, MqttPropertyType.SERVER_KEEP_ALIVE));
    }

    @Test
    void keepAliveAboveTheMaximumIsCappedAndTold_MQTT_3_2_2_21() {
        BrokerConfig config = BrokerConfig.builder().maxKeepAliveSeconds(60).build();
        Accepted accepted = accepted(v5("c").keepAlive(120), config);
        assertEquals(60, accepted.keepAliveSeconds());
        assertEquals(60, connAck(accepted, MqttPropertyType.SERVER_KEEP_ALIVE));
    }

    @Test
    void noKeepAliveIsHeldToTheMaximumWhenOneIsConfigured() {
        BrokerConfig config = BrokerConfig.builder().maxKeepAliveSeconds(60).build();
        assertEquals(60, accepted(v311("c").keepAlive(0), config).keepAliveSeconds());
        assertEquals(60, connAck(accepted(v5("c").keepAlive(0), config), MqttPropertyType.SERVER_KEEP_ALIVE));
    }

    @Test
    void zeroKeepAliveStaysOffWithoutAConfiguredMaximum_MQTT_3_1_2_10() {
        Accepted accepted = accepted(v5("c").keepAlive(0), DEFAULTS);
        assertEquals(0, accepted.keepAliveSeconds());
        assertNull(connAck(accepted, MqttPropertyType.SERVER_KEEP_ALIVE));
    }

    @Test
    void mqtt311KeepAliveIsCappedWithoutBeingTold() {
        BrokerConfig config = BrokerConfig.builder().maxKeepAliveSeconds(60).build();
        Accepted accepted = accepted(v311("c").keepAlive(600), config);
        assertEquals(60, accepted.keepAliveSeconds());
        assertSame(MqttProperties.NO_PROPERTIES, accepted.connAckProperties());
    }

    // --- session expiry ---

    @Test
    void sessionExpiryAboveTheMaximumIsCappedAndTold_section_3_2_2_3_2() {
        BrokerConfig config = BrokerConfig.builder().maxSessionExpirySeconds(100).build();
        Accepted accepted = accepted(v5("c", property(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 1000)), config);
        assertEquals(100, accepted.expirySeconds());
        assertEquals(100, connAck(accepted, MqttPropertyType.SESSION_EXPIRY_INTERVAL));
        assertFalse(accepted.expiryWasZero());
    }

    @Test
    void sessionExpiryWithinTheMaximumIsKeptAndNotTold() {
        BrokerConfig config = BrokerConfig.builder().maxSessionExpirySeconds(100).build();
        Accepted accepted = accepted(v5("c", property(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 50)), config);
        assertEquals(50, accepted.expirySeconds());
        assertNull(connAck(accepted, MqttPropertyType.SESSION_EXPIRY_INTERVAL));
    }

    @Test
    void sessionExpiryNeverIsReadUnsigned_section_3_1_2_11_2() {
        Accepted accepted = accepted(v5("c", property(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFF)), DEFAULTS);
        assertEquals(ClientSession.NEVER_EXPIRES, accepted.expirySeconds());
    }

    @Test
    void absentSessionExpiryMeansTheSessionEndsWithTheConnection_section_3_1_2_11_2() {
        Accepted accepted = accepted(v5("c"), DEFAULTS);
        assertEquals(0, accepted.expirySeconds());
        assertTrue(accepted.expiryWasZero());
    }

    @Test
    void mqtt311PersistentSessionsExpireAfterTheirDefaultCappedAtTheMaximum() {
        BrokerConfig config = BrokerConfig.builder().maxSessionExpirySeconds(100).build();
        assertEquals(7 * 24 * 3600, accepted(v311("c").cleanSession(false), DEFAULTS).expirySeconds(), "a week by default");
        assertEquals(ClientSession.NEVER_EXPIRES, accepted(v311("c").cleanSession(false),
                BrokerConfig.builder().mqtt3SessionExpirySeconds(ClientSession.NEVER_EXPIRES).build()).expirySeconds());
        Accepted capped = accepted(v311("c").cleanSession(false), config);
        assertEquals(100, capped.expirySeconds());
        assertFalse(capped.cleanStart());
        assertSame(MqttProperties.NO_PROPERTIES, capped.connAckProperties());
        assertTrue(accepted(v311("c"), config).expiryWasZero());
    }

    // --- will ---

    @Test
    void willIsTakenWithItsDelay_section_3_1_3_2_2() {
        MqttProperties willProps = new MqttProperties();
        willProps.add(property(MqttPropertyType.WILL_DELAY_INTERVAL, 30));
        ConnectBuilder connect = v5("c").willFlag(true).willTopic("status/c").willMessage("offline")
                .willQoS(MqttQoS.AT_LEAST_ONCE).willRetain(true).willProperties(willProps)
                .hasUser(true).username("alice");
        Accepted accepted = accepted(connect, DEFAULTS);
        PublishedMessage will = accepted.will();
        assertEquals("status/c", will.topic());
        assertEquals("offline", new String(will.payload(), StandardCharsets.UTF_8));
        assertEquals(1, will.qos());
        assertTrue(will.retain());
        assertEquals("c", will.publisherClientId());
        assertEquals("alice", accepted.userName());
        assertEquals("alice", will.publisherUserName());
        assertEquals(30, accepted.willDelaySeconds());
    }

    @Test
    void noWillWithoutTheWillFlag() {
        Accepted accepted = accepted(v311("c"), DEFAULTS);
        assertNull(accepted.will());
        assertEquals(0, accepted.willDelaySeconds());
    }
}
