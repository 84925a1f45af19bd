package io.mqttra.security;

/**
 * Topic rules that cannot be used: a line that does not parse, or a rules file that cannot be read.
 * The message names the source (a file path or a property name) and, for a line, its number.
 */
public class AccessRuleException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    /**
     * @param line the 1-based line number, or 0 when the problem is the source as a whole
     */
    public AccessRuleException(String source, int line, String problem) {
        super(line > 0 ? source + ", line " + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public AccessRuleException(String source, String problem, Throwable cause) {
        this(source, 0, problem);
        initCause(cause);
    }

    /** The file path or property name the rules came from. */
    public String source() {
        return source;
    }

    /** The 1-based line number of the bad line, or 0 when the source as a whole is the problem. */
    public int line() {
        return line;
    }
}
