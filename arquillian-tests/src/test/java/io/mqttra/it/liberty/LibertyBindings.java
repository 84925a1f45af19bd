package io.mqttra.it.liberty;

import io.mqttra.it.Jndi;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.MessageListener;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.asset.StringAsset;

/**
 * Gives each test WAR deployed to Open Liberty the two binding files a Liberty user writes, so that the
 * same test classes run on WildFly and on Liberty:
 * <ul>
 * <li>{@code WEB-INF/ibm-ejb-jar-bnd.xml}: Liberty activates a message-driven bean only through an
 * activation specification of its server.xml; every JMS bean is bound to the test server's {@code mqtt/it}
 * (whose properties tie it to the adapter), and its own {@code @ActivationConfigProperty} values apply.</li>
 * <li>{@code WEB-INF/ibm-web-bnd.xml}: a {@code @Resource(lookup = "java:/mqtt/...")} reference, as the
 * tests write it for WildFly, is bound to the name Liberty gives that resource ({@link Jndi#libertyName}).</li>
 * <li>{@code WEB-INF/ejb-jar.xml}: a bean's {@code destinationLookup} of a {@code java:/} name is overridden
 * with Liberty's name for it (the deployment descriptor takes precedence over the annotation).</li>
 * </ul>
 */
public class LibertyBindings {

    /** The test server's activation specification for every JMS test bean (src/test/liberty/server.xml). */
    static final String ACTIVATION_SPEC = "mqtt/it";
    /** Its activation specification for every native ({@code MqttMessageListener}) test bean. */
    static final String NATIVE_ACTIVATION_SPEC = "mqtt/it-native";

    public void addBindings(@Observes BeforeDeploy event) {
        if (!event.getDeployableContainer().getClass().getName().startsWith("io.openliberty.")) {
            return;
        }
        Archive<?> archive = event.getDeployment().getTestableArchive() != null
                ? event.getDeployment().getTestableArchive() : event.getDeployment().getArchive();
        if (!archive.getName().endsWith(".war")) {
            return;
        }
        List<Class<?>> classes = classesOf(archive);
        StringBuilder beans = new StringBuilder();
        StringBuilder references = new StringBuilder();
        StringBuilder lookups = new StringBuilder();
        for (Class<?> c : classes) {
            MessageDriven mdb = c.getAnnotation(MessageDriven.class);
            if (mdb != null) {
                // a jmsActivationSpec serves jakarta.jms listeners only; a native bean needs an activationSpec
                boolean jms = MessageListener.class.isAssignableFrom(c);
                String name = mdb.name().isEmpty() ? c.getSimpleName() : mdb.name();
                beans.append("  <message-driven name=\"").append(name).append("\">\n")
                        .append("    <jca-adapter activation-spec-binding-name=\"")
                        .append(jms ? ACTIVATION_SPEC : NATIVE_ACTIVATION_SPEC).append("\"/>\n")
                        .append("  </message-driven>\n");
                lookups.append(destinationLookupOverride(name, mdb));
            }
            for (Field f : declaredFields(c)) {
                Resource r = f.getAnnotation(Resource.class);
                if (r != null && !r.lookup().equals(Jndi.libertyName(r.lookup()))) {
                    String name = r.name().isEmpty() ? c.getName() + "/" + f.getName() : r.name();
                    references.append("  <resource-ref name=\"").append(name).append("\" binding-name=\"")
                            .append(Jndi.libertyName(r.lookup())).append("\"/>\n");
                }
            }
        }
        if (beans.length() > 0) {
            archive.add(new StringAsset(document("ejb-jar-bnd", beans)), "WEB-INF/ibm-ejb-jar-bnd.xml");
        }
        if (references.length() > 0) {
            archive.add(new StringAsset(document("web-bnd", references)), "WEB-INF/ibm-web-bnd.xml");
        }
        if (lookups.length() > 0) {
            archive.add(new StringAsset("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<ejb-jar xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\">\n  <enterprise-beans>\n"
                    + lookups + "  </enterprise-beans>\n</ejb-jar>\n"), "WEB-INF/ejb-jar.xml");
        }
    }

    /** An ejb-jar.xml message-driven entry giving Liberty's name for a {@code java:/} destinationLookup, else "". */
    private static String destinationLookupOverride(String bean, MessageDriven mdb) {
        for (ActivationConfigProperty p : mdb.activationConfig()) {
            String libertyName = Jndi.libertyName(p.propertyValue());
            if (p.propertyName().equals("destinationLookup") && !libertyName.equals(p.propertyValue())) {
                return "    <message-driven>\n      <ejb-name>" + bean + "</ejb-name>\n      <activation-config>\n"
                        + "        <activation-config-property>\n"
                        + "          <activation-config-property-name>destinationLookup</activation-config-property-name>\n"
                        + "          <activation-config-property-value>" + libertyName + "</activation-config-property-value>\n"
                        + "        </activation-config-property>\n      </activation-config>\n    </message-driven>\n";
            }
        }
        return "";
    }

    private static String document(String root, CharSequence body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root + " xmlns=\"http://websphere.ibm.com/xml/ns/javaee\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.2\">\n" + body + "</" + root + ">\n";
    }

    /** The fields of {@code c}; none when a type they name is not on the test class path (a helper's optional library). */
    private static Field[] declaredFields(Class<?> c) {
        try {
            return c.getDeclaredFields();
        } catch (LinkageError e) {
            return new Field[0];
        }
    }

    /** The classes in WEB-INF/classes (loaded from the test class path, where they come from). */
    private static List<Class<?>> classesOf(Archive<?> war) {
        List<Class<?>> classes = new ArrayList<>();
        String prefix = "/WEB-INF/classes/";
        for (ArchivePath path : war.getContent().keySet()) {
            String p = path.get();
            if (p.startsWith(prefix) && p.endsWith(".class")) {
                String name = p.substring(prefix.length(), p.length() - ".class".length()).replace('/', '.');
                try {
                    classes.add(Class.forName(name, false, LibertyBindings.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // not a test class (a packaged copy of a library's class): nothing of ours to bind
                }
            }
        }
        return classes;
    }
}
