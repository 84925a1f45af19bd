package io.mqttra.jms;

import io.mqttra.broker.PublishedMessage;
import jakarta.jms.InvalidSelectorException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.selector.filter.BooleanExpression;
import org.apache.activemq.artemis.selector.filter.FilterException;
import org.apache.activemq.artemis.selector.filter.Filterable;
import org.apache.activemq.artemis.selector.impl.SelectorParser;

/**
 * A JMS message selector (JMS 3.1 section 3.8.1), parsed by ActiveMQ Artemis's selector parser and
 * evaluated against the values the mapped JMS message would have: {@code JMS_MQTT_*} and user
 * properties, {@code JMSXUserID}, {@code JMSXDeliveryCount}, and the headers {@code JMSDeliveryMode}
 * ({@code 'PERSISTENT'}/{@code 'NON_PERSISTENT'}), {@code JMSPriority}, {@code JMSTimestamp},
 * {@code JMSCorrelationID} and {@code JMSMessageID} (never set before delivery). Evaluated without
 * building the message, on the publisher's thread.
 */
public final class MessageSelector {

    private final String text;
    private final BooleanExpression expression;

    private MessageSelector(String text, BooleanExpression expression) {
        this.text = text;
        this.expression = expression;
    }

    public static MessageSelector parse(String selector) throws InvalidSelectorException {
        try {
            return new MessageSelector(selector, SelectorParser.parse(selector));
        } catch (FilterException | RuntimeException e) {
            InvalidSelectorException invalid = new InvalidSelectorException("'" + selector + "' is not a valid message selector: "
                    + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** Whether the message, delivered with {@code qos}, is selected; an evaluation error selects nothing. */
    public boolean matches(PublishedMessage message, int qos, boolean fromRetainedStore) {
        Map<String, Object> properties = InboundMessageMapper.properties(message, qos, fromRetainedStore, 1);
        Filterable subject = new Filterable() {
            @Override
            public <T> T getBodyAs(Class<T> type) {
                return null;
            }

            @Override
            public Object getProperty(SimpleString name) {
                return switch (name.toString()) {
                    case "JMSDeliveryMode" -> qos == 0 ? "NON_PERSISTENT" : "PERSISTENT";
                    case "JMSPriority" -> 4;
                    case "JMSTimestamp" -> message.timestamp();
                    case "JMSCorrelationID" -> message.properties().correlationData() == null ? null
                            : new String(message.properties().correlationData(), StandardCharsets.UTF_8);
                    default -> properties.get(name.toString()); // plain Strings, as the parser's literals are
                };
            }

            @Override
            public Object getLocalConnectionId() {
                return null;
            }
        };
        try {
            return expression.matches(subject);
        } catch (FilterException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
