package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.it.badfilter.BadFilterMdb;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad configuration fails the deployment with a message that names the property. 
 * <p>WildFly only for now: it gives the adapter its own settings per class (the RAR's ironjacamar.xml),
 * which on Liberty are server.xml's (docs/liberty.md).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadConfigurationIT {

    @ArquillianResource
    private Deployer deployer;

    /** The real adapter, with an ironjacamar.xml that puts the listener's port out of range. */
    @Deployment(name = "bad-port", managed = false, testable = false)
    static Archive<?> rarWithBadPort() {
        return Deployments.rarWith("mqtt-ra-bad-port.rar",
                "<config-property name=\"listeners\">tcp://0.0.0.0:70000</config-property>", "");
    }

    @Deployment(name = "rar", order = 1, managed = false, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "bad-filter", order = 2, managed = false, testable = false)
    static Archive<?> beanWithBadFilter() {
        return Deployments.jmsWar("bad-filter.war").addClass(BadFilterMdb.class);
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void portOutOfRangeFailsTheDeploymentNamingTheProperty() {
        Exception e = assertThrows(Exception.class, () -> deployer.deploy("bad-port"));
        String report = everything(e);
        assertTrue(report.contains("Invalid MQTT-RA resource adapter property 'listeners': 'tcp://0.0.0.0:70000' needs a port"),
                report);
        deployer.undeploy("bad-port");
    }

    @Test
    void invalidTopicFilterFailsTheBeanNamingTopicFilterAndTheBean() {
        deployer.deploy("rar");
        try {
            Exception e = assertThrows(Exception.class, () -> deployer.deploy("bad-filter"));
            String report = everything(e);
            assertTrue(report.contains("'topicFilter'") && report.contains("sensors/#/temperature"), report);
            assertTrue(report.contains("BadFilterMdb"), "the server names the bean: " + report);
            deployer.undeploy("bad-filter");
        } finally {
            deployer.undeploy("rar");
        }
    }
}
