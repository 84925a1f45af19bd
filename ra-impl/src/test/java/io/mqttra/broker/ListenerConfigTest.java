package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A listener's URI names it and says how its clients log in. */
class ListenerConfigTest {

    @Test
    void nameAndAuthenticationComeFromTheQuery() {
        ListenerConfig l = ListenerConfig.parse("wss://0.0.0.0:8084/mqtt?name=browsers&auth=certificate");
        assertEquals("browsers", l.name());
        assertEquals("certificate", l.authentication());
        assertEquals("/mqtt", l.path());
        assertEquals(8084, l.port());
    }

    @Test
    void withoutThemTheNameIsSchemeAndPortAndTheModeIsTheDefault() {
        ListenerConfig l = ListenerConfig.parse("ssl://127.0.0.1:8883");
        assertEquals("ssl-8883", l.name());
        assertNull(l.authentication());
        assertEquals("tcp-1883", ListenerConfig.tcp("0.0.0.0", 1883).name());
    }

    @Test
    void anUnknownOrEmptyParameterIsRefusedNamingIt() {
        assertEquals("'tcp://0.0.0.0:1883?login=x': unknown parameter 'login' (known: name, auth)",
                assertThrows(IllegalArgumentException.class, () -> ListenerConfig.parse("tcp://0.0.0.0:1883?login=x")).getMessage());
        assertEquals("'tcp://0.0.0.0:1883?auth=': parameter 'auth' needs a value",
                assertThrows(IllegalArgumentException.class, () -> ListenerConfig.parse("tcp://0.0.0.0:1883?auth=")).getMessage());
    }
}
