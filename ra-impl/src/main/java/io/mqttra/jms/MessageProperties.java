package io.mqttra.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The property map of a JMS message, with the type conversions of the JMS 3.1 specification
 * (section 3.5.4): a property set as one type reads as another only where the table allows, and
 * strings parse into the primitive types.
 */
final class MessageProperties {

    private static final Set<String> RESERVED = Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN",
            "LIKE", "IN", "IS", "ESCAPE");

    private final Map<String, Object> values = new LinkedHashMap<>();

    void set(String name, Object value) throws JMSException {
        checkName(name);
        if (value != null && !(value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof Float
                || value instanceof Double || value instanceof String)) {
            throw new MessageFormatException("Property '" + name + "' has unsupported type " + value.getClass().getName());
        }
        values.put(name, value);
    }

    /** Sets a property without the name check, for provider-defined {@code JMSX}/{@code JMS_} names. */
    void setProviderProperty(String name, Object value) {
        values.put(name, value);
    }

    Object get(String name) {
        return values.get(name);
    }

    boolean exists(String name) {
        return values.containsKey(name);
    }

    void clear() {
        values.clear();
    }

    Enumeration<String> names() {
        return Collections.enumeration(values.keySet());
    }

    boolean getBoolean(String name) throws JMSException {
        Object v = values.get(name);
        if (v == null || v instanceof String) {
            return Boolean.parseBoolean((String) v);
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw cannotConvert(name, v, "boolean");
    }

    byte getByte(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.parseByte((String) v);
        }
        throw cannotConvert(name, v, "byte");
    }

    short getShort(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).shortValue();
        }
        if (v == null || v instanceof String) {
            return Short.parseShort((String) v);
        }
        throw cannotConvert(name, v, "short");
    }

    int getInt(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.parseInt((String) v);
        }
        throw cannotConvert(name, v, "int");
    }

    long getLong(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.parseLong((String) v);
        }
        throw cannotConvert(name, v, "long");
    }

    float getFloat(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Float f) {
            return f;
        }
        if (v == null) {
            throw new NullPointerException("Property '" + name + "' does not exist");
        }
        if (v instanceof String s) {
            return Float.parseFloat(s);
        }
        throw cannotConvert(name, v, "float");
    }

    double getDouble(String name) throws JMSException {
        Object v = values.get(name);
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v == null) {
            throw new NullPointerException("Property '" + name + "' does not exist");
        }
        if (v instanceof String s) {
            return Double.parseDouble(s);
        }
        throw cannotConvert(name, v, "double");
    }

    String getString(String name) {
        Object v = values.get(name);
        return v == null ? null : v.toString();
    }

    private static MessageFormatException cannotConvert(String name, Object v, String type) {
        return new MessageFormatException("Property '" + name + "' is a " + v.getClass().getSimpleName()
                + " and cannot be read as " + type);
    }

    /** A property name must be a Java identifier and not a selector keyword (JMS 3.1 section 3.5.1). */
    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A property name must not be null or empty");
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0)) || !name.chars().skip(1).allMatch(Character::isJavaIdentifierPart)
                || RESERVED.contains(name.toUpperCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("'" + name + "' is not a valid JMS property name");
        }
    }
}
