package io.mqttra.security;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Topic rules as read from a file or an adapter property, in one of two syntaxes (see
 * {@link RuleAuthorizer} for the syntaxes and for what the rules mean). Immutable; sources combine
 * with {@link #plus}.
 */
public final class AccessRules {

    /** The syntax of a rules source. */
    public enum Syntax {
        /**
         * Mosquitto's when the first line that is neither blank nor a comment starts with the word
         * {@code user}, {@code topic} or {@code pattern}; this adapter's otherwise.
         */
        DETECT,
        /** This adapter's: {@code allow|deny <who> <actions> <topic-pattern>}. */
        RULES,
        /** Mosquitto's {@code acl_file}. */
        MOSQUITTO
    }

    /** No rules: every client may do what the built-in rules let it. */
    public static final AccessRules EMPTY = new AccessRules(List.of());

    private static final Set<String> MOSQUITTO_KEYWORDS = Set.of("user", "topic", "pattern");

    private final List<AccessRule> rules;

    private AccessRules(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The rules in {@code text}, one per line, in the syntax {@link Syntax#DETECT detected}.
     *
     * @param sourceName what the error messages call the text: a file path or a property name
     * @throws AccessRuleException naming the source and the line when a line is wrong
     */
    public static AccessRules parse(String text, String sourceName) {
        return parse(text, sourceName, Syntax.DETECT);
    }

    /** The rules in {@code text}, one per line, in the given syntax. */
    public static AccessRules parse(String text, String sourceName, Syntax syntax) {
        return parseLines(withoutByteOrderMark(text).split("\\R", -1), sourceName, syntax);
    }

    /**
     * The rules in an adapter property's value, where {@code ;} separates lines as much as a line
     * break does (so a pattern there cannot contain {@code ;}). The syntax is detected. Error messages
     * count a {@code ;}-separated part as a line.
     */
    public static AccessRules parseInline(String value, String propertyName) {
        return value == null ? EMPTY : parseLines(value.split("\\R|;", -1), propertyName, Syntax.DETECT);
    }

    /**
     * The rules in a UTF-8 file, in the syntax detected.
     *
     * @throws AccessRuleException naming the path when the file cannot be read or is not UTF-8 text,
     *     and the line when a line is wrong
     */
    public static AccessRules read(Path file) {
        return read(file, Syntax.DETECT);
    }

    /** The rules in a UTF-8 file, in the given syntax. */
    public static AccessRules read(Path file, Syntax syntax) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new AccessRuleException(file.toString(), "no such topic rules file", e);
        } catch (CharacterCodingException e) {
            throw new AccessRuleException(file.toString(), "the topic rules file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new AccessRuleException(file.toString(), "cannot read the topic rules file: " + e, e);
        }
        return parse(text, file.toString(), syntax);
    }

    /** These rules and then {@code other}'s; the order does not change what they mean. */
    public AccessRules plus(AccessRules other) {
        List<AccessRule> both = new ArrayList<>(rules);
        both.addAll(other.rules);
        return new AccessRules(both);
    }

    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    List<AccessRule> rules() {
        return rules;
    }

    /** Counts only: rules may name users and topics that do not belong in a log. */
    @Override
    public String toString() {
        long allow = rules.stream().filter(AccessRule::allow).count();
        return rules.size() + " topic rules (" + allow + " allow, " + (rules.size() - allow) + " deny)";
    }

    private static AccessRules parseLines(String[] lines, String sourceName, Syntax syntax) {
        LineParser parser = switch (syntax == Syntax.DETECT ? detect(lines) : syntax) {
            case MOSQUITTO -> new MosquittoAclParser();
            default -> new RuleLineParser();
        };
        List<AccessRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (isSignificant(line)) {
                try {
                    parser.parse(line, rules);
                } catch (IllegalArgumentException e) {
                    throw new AccessRuleException(sourceName, i + 1, e.getMessage());
                }
            }
        }
        return rules.isEmpty() ? EMPTY : new AccessRules(rules);
    }

    private static Syntax detect(String[] lines) {
        for (String line : lines) {
            String stripped = line.strip();
            if (isSignificant(stripped)) {
                return MOSQUITTO_KEYWORDS.contains(stripped.split("\\s+", 2)[0]) ? Syntax.MOSQUITTO : Syntax.RULES;
            }
        }
        return Syntax.RULES;
    }

    private static boolean isSignificant(String strippedLine) {
        return !strippedLine.isEmpty() && !strippedLine.startsWith("#");
    }

    private static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
