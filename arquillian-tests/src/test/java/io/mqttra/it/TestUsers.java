package io.mqttra.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * The MQTT users of the integration tests, added to WildFly's ApplicationDomain by add-user.sh in the
 * pom before the server starts. Their groups are their roles.
 * <p>
 * Every test bean is {@code @PermitAll}: beans run as the publishing user (runAsPublisher), and WildFly
 * refuses any caller a bean method that declares no permission (default-missing-method-permissions-deny-access).
 */
public final class TestUsers {

    /** Role {@code device}: what most tests' clients log in as. */
    public static final String DEVICE = "device";
    public static final String DEVICE_PASSWORD = "device-Secret1";
    /** Roles {@code device} and {@code sensor}. */
    public static final String SENSOR = "sensor";
    public static final String SENSOR_PASSWORD = "sensor-Secret1";
    /** Roles {@code mqtt-admin} (may read {@code $SYS}) and {@code operator} (the sample's REST endpoints). */
    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "operator-Secret1";

    /**
     * A management user (WildFly's ManagementRealm: add-user.sh without -a), for WildFly's remote JMX on
     * the management port; not an MQTT user.
     */
    public static final String ADMIN = "mqtt-ra-admin";
    public static final String ADMIN_PASSWORD = "admin-Secret1";

    private TestUsers() {
    }

    /** Paho v5 options logged in as {@link #DEVICE}. */
    public static org.eclipse.paho.mqttv5.client.MqttConnectionOptions deviceV5() {
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        o.setUserName(DEVICE);
        o.setPassword(DEVICE_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return o;
    }

    /** Paho v3 options logged in as {@link #DEVICE}; in-container tests add this class to their WAR. */
    public static MqttConnectOptions device() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(DEVICE);
        o.setPassword(DEVICE_PASSWORD.toCharArray());
        return o;
    }

    /** The HTTP {@code Authorization} header of a BASIC login. */
    public static String basicAuthorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
