package io.mqttra.jca.outbound;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import org.junit.jupiter.api.Test;

class MqttJmsConnectionFactoryTest {

    private final MqttJmsConnectionFactory factory = new MqttJmsConnectionFactory(null, null);

    @Test
    void credentialsAreRefusedNotIgnored() {
        assertTrue(assertThrows(JMSSecurityException.class, () -> factory.createConnection("device-1", "secret"))
                .getMessage().contains("a user name and password are not accepted"));
        assertThrows(JMSSecurityException.class, () -> factory.createTopicConnection("device-1", "secret"));
        assertThrows(JMSSecurityRuntimeException.class, () -> factory.createContext("device-1", "secret"));
        assertThrows(JMSSecurityRuntimeException.class,
                () -> factory.createContext("device-1", "secret", JMSContext.AUTO_ACKNOWLEDGE));
    }
}
