package io.mqttra.security;

import java.util.List;

/** Turns the significant lines of one rules source, in order, into rules. */
interface LineParser {

    /**
     * Adds the rules {@code line} stands for (none for a line that only sets context).
     *
     * @param line a line without surrounding white space, neither blank nor a comment
     * @throws IllegalArgumentException saying what is wrong with the line, without its number
     */
    void parse(String line, List<AccessRule> rules);
}
