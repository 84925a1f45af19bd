package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every resource adapter and activation property is written in the places users read: the code (the
 * value a fresh bean has), the RAR's {@code ra.xml} (what server consoles show), the README's
 * configuration tables and, for the adapter's, the WildFly CLI script that puts them in the management model. The code is the home of each default; this test fails, naming the property,
 * when {@code ra.xml} or the README says something else, or misses or invents a property.
 */
class ConfigurationDefaultsTest {

    private static final Path RA_XML = Path.of("../rar-packaging/src/main/rar/META-INF/ra.xml");
    private static final Path README = Path.of("../README.md");
    private static final Path SUBSYSTEM_SCRIPT = Path.of("../rar-packaging/src/main/wildfly/mqtt-ra-subsystem.cli");
    private static final Pattern SCRIPT_PROPERTY = Pattern.compile("config-properties=([A-Za-z0-9]+):add\\(value=\"(.*)\"\\)");
    /** {@code ${system.property:default}}: the server resolves it, and without the property it is the default. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([A-Za-z][A-Za-z0-9]*)`\\s*\\|([^|]*)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @Test
    void raXmlStatesTheResourceAdapterDefaults() throws Exception {
        Element adapter = firstElement(raXml().getDocumentElement(), "resourceadapter");
        Map<String, Element> declared = configProperties(adapter);
        assertSameDefaults("ra.xml <resourceadapter>", beanDefaults(new MqttResourceAdapter()), declaredDefaults(declared));
        assertTypes("ra.xml <resourceadapter>", new MqttResourceAdapter(), declared);
    }

    @Test
    void raXmlDeclaresEveryActivationPropertyForEachListenerType() throws Exception {
        NodeList specs = raXml().getDocumentElement().getElementsByTagName("activationspec");
        assertFalse(specs.getLength() == 0, "ra.xml declares no activationspec");
        Map<String, String> code = beanDefaults(new MqttActivationSpec());
        for (int i = 0; i < specs.getLength(); i++) {
            Map<String, Element> declared = configProperties((Element) specs.item(i));
            String where = "ra.xml <activationspec> #" + (i + 1);
            assertEquals(code.keySet(), declared.keySet(), where + ": property names");
            // ra.xml gives activation properties no values (the bean's own defaults apply); a value there would be a second home
            declared.forEach((name, property) -> assertEquals(0, property.getElementsByTagName("config-property-value").getLength(),
                    where + ": " + name + " has a config-property-value; its default belongs to MqttActivationSpec"));
            assertTypes(where, new MqttActivationSpec(), declared);
        }
    }

    @Test
    void readmeTablesStateTheResourceAdapterDefaults() throws Exception {
        assertSameDefaults("README resource adapter table", beanDefaults(new MqttResourceAdapter()), readmeTable("listeners"));
    }

    /** WildFly takes no empty config-property value: the script sets every property that has a default, and only those. */
    @Test
    void subsystemScriptSetsEveryResourceAdapterPropertyThatHasADefaultToIt() throws Exception {
        Map<String, String> withDefault = new TreeMap<>(beanDefaults(new MqttResourceAdapter()));
        withDefault.values().removeIf(Objects::isNull);
        Map<String, String> set = new TreeMap<>();
        for (String line : Files.readAllLines(SUBSYSTEM_SCRIPT)) {
            Matcher property = SCRIPT_PROPERTY.matcher(line);
            if (property.find()) {
                set.put(property.group(1), resolved(property.group(2)));
            }
        }
        assertSameDefaults("mqtt-ra-subsystem.cli", withDefault, set);
    }

    @Test
    void readmeTablesStateTheActivationDefaults() throws Exception {
        assertSameDefaults("README activation table", beanDefaults(new MqttActivationSpec()), readmeTable("topicFilter"));
    }

    /** A property's default as the code has it: {@code null} for none (null or blank). */
    private static Map<String, String> beanDefaults(Object bean) throws Exception {
        Map<String, String> defaults = new TreeMap<>();
        for (PropertyDescriptor p : Introspector.getBeanInfo(bean.getClass(), Object.class).getPropertyDescriptors()) {
            if (p.getReadMethod() == null || p.getWriteMethod() == null || p.getName().equals("resourceAdapter")) {
                continue;
            }
            Object value = p.getReadMethod().invoke(bean);
            defaults.put(p.getName(), value == null || value.toString().isBlank() ? null : value.toString());
        }
        return defaults;
    }

    private static void assertTypes(String where, Object bean, Map<String, Element> declared) throws Exception {
        for (PropertyDescriptor p : Introspector.getBeanInfo(bean.getClass(), Object.class).getPropertyDescriptors()) {
            Element property = declared.get(p.getName());
            if (property != null) {
                assertEquals(p.getPropertyType().getName(), text(property, "config-property-type"), where + ": type of " + p.getName());
            }
        }
    }

    private static void assertSameDefaults(String where, Map<String, String> code, Map<String, String> stated) {
        List<String> differences = new ArrayList<>();
        code.keySet().stream().filter(n -> !stated.containsKey(n)).forEach(n -> differences.add(n + " is missing"));
        stated.keySet().stream().filter(n -> !code.containsKey(n)).forEach(n -> differences.add(n + " is not a property of the code"));
        code.forEach((name, value) -> {
            if (stated.containsKey(name)) {
                String said = stated.get(name);
                if (!Objects.equals(value, said)) {
                    differences.add(name + ": the code's default is " + (value == null ? "none" : "'" + value + "'")
                            + ", " + where + " says " + (said == null ? "none" : "'" + said + "'"));
                }
            }
        });
        assertEquals(List.of(), differences, where);
    }

    private static Map<String, String> declaredDefaults(Map<String, Element> declared) {
        Map<String, String> defaults = new TreeMap<>();
        declared.forEach((name, property) -> defaults.put(name, resolved(text(property, "config-property-value"))));
        return defaults;
    }

    /**
     * The README table that has a row for {@code anchor}: the property in its first column, the default
     * as the first {@code `code`} of its second (none when the cell has no code, e.g. "(required)").
     */
    private static Map<String, String> readmeTable(String anchor) throws Exception {
        List<Map<String, String>> tables = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(README)) {
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                if (current == null) {
                    current = new TreeMap<>();
                    tables.add(current);
                }
                Matcher code = CODE.matcher(row.group(2));
                current.put(row.group(1), code.find() ? resolved(code.group(1)) : null);
            } else if (!line.startsWith("|")) {
                current = null;
            }
        }
        Map<String, String> table = tables.stream().filter(t -> t.containsKey(anchor)).findFirst().orElse(null);
        assertNotNull(table, "README has no table with a row for `" + anchor + "`");
        return table;
    }

    private static String resolved(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String withDefaults = EXPRESSION.matcher(value.trim()).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        return withDefaults.isBlank() ? null : withDefaults; // ${name:}: none unless the system property is set
    }

    private static Map<String, Element> configProperties(Element parent) {
        Map<String, Element> found = new TreeMap<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals("config-property")) {
                found.put(text(e, "config-property-name"), e);
            }
        }
        assertFalse(found.isEmpty(), "no config-property directly under <" + parent.getTagName() + ">");
        return found;
    }

    private static Element firstElement(Element parent, String tag) {
        Element e = (Element) parent.getElementsByTagName(tag).item(0);
        assertNotNull(e, "ra.xml has no <" + tag + ">");
        return e;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static org.w3c.dom.Document raXml() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(RA_XML.toFile());
    }
}
