package io.mqttra.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A test of a class that also runs on Open Liberty, which runs on WildFly only: it uses the adapter's native
 * API (ra-api's {@code MqttConnectionFactory}, {@code MqttMessageListener}). A Liberty application sees the
 * adapter's own classes only through {@code <classloader classProviderRef="mqtt-ra"/>} on its server.xml
 * element, which Arquillian's dropins deployment cannot give it; the test WARs carry a copy of ra-api for
 * the types instead, which is not the adapter's copy (see docs/testing.md).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "liberty.*",
        disabledReason = "WildFly only: the native API needs classProviderRef on Liberty")
public @interface WildFlyOnly {
}
