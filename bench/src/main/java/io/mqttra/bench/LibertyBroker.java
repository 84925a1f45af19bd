package io.mqttra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prepares the Open Liberty that Maven unpacked ({@code -Pbench,bench-liberty}; Maven also put the RAR in the
 * server's {@code connectors/} and H2 in its {@code lib/}): the server {@value #SERVER} includes the adapter as
 * users do (rar-packaging's {@code mqtt-ra.xml}), sets the same adapter properties as the WildFly bench, and runs
 * the same beans.
 */
final class LibertyBroker {

    static final String SERVER = "bench";
    /** The CountServlet's port: not WildFly's 8080, nor 9080, the integration tests' Liberty server's. */
    static final int HTTP_PORT = 18080;

    private LibertyBroker() {
    }

    /** Returns the command that runs it in the foreground, the server's JVM under the {@code server} script. */
    static List<String> prepare(String listeners) throws IOException {
        Path home = Path.of(System.getProperty("bench.libertyHome", "").trim());
        Path server = home.resolve("usr/servers").resolve(SERVER);
        if (!Files.isRegularFile(server.resolve("connectors/mqtt-ra.rar"))) {
            throw new IOException("the liberty broker needs the Open Liberty that -Pbench,bench-liberty unpacks (bench.libertyHome='"
                    + home + "')");
        }
        Files.copy(Path.of(System.getProperty("bench.libertyInclude")), server.resolve("mqtt-ra.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(server.resolve("apps"));
        WildFlyBroker.writeWar(server.resolve("apps").resolve(WildFlyBroker.WAR));
        // as the users' jvm.options (mdb-samples' run-liberty): the access Hazelcast asks for, for its fastest paths
        Files.writeString(server.resolve("jvm.options"), """
                --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
                --add-opens=java.base/java.lang=ALL-UNNAMED
                --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
                --add-opens=java.management/sun.management=ALL-UNNAMED
                --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED
                """);
        String properties = WildFlyBroker.adapterProperties(listeners, false, false, true).entrySet().stream()
                .map(p -> p.getKey() + "=\"" + p.getValue() + "\"").collect(Collectors.joining("\n                        "));
        String specs = WildFlyBroker.MDBS.stream().map(bean -> "<jmsActivationSpec id=\"" + WildFlyBroker.WAR.replace(".war", "")
                + "/" + bean + "\"><properties.mqtt-ra/></jmsActivationSpec>").collect(Collectors.joining("\n  "));
        Files.writeString(server.resolve("server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <server description="MQTT-RA bench">
                  <include location="mqtt-ra.xml"/>
                  <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>jdbc-4.3</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>

                  <!-- merged into mqtt-ra.xml's resourceAdapter of the same id: the WildFly bench's properties -->
                  <resourceAdapter id="mqtt-ra">
                    <properties.mqtt-ra %s/>
                  </resourceAdapter>

                  <!-- java:comp/DefaultDataSource, the transacted bean's database, as WildFly's ExampleDS: H2 in memory -->
                  <library id="h2"><file name="${server.config.dir}/lib/h2.jar"/></library>
                  <dataSource id="DefaultDataSource" jndiName="jdbc/bench">
                    <jdbcDriver libraryRef="h2"/>
                    <properties URL="jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1"/>
                  </dataSource>

                  <webApplication location="%s"/>
                  <!-- Liberty activates a bean only through an activation spec named application/bean -->
                  %s
                </server>
                """.formatted(HTTP_PORT, properties, WildFlyBroker.WAR, specs));
        // --clean: the OSGi cache forgets the previous build's adapter
        return List.of("sh", home.resolve("bin/server").toString(), "run", SERVER, "--clean");
    }
}
