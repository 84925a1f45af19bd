package io.mqttra.admin;

import java.util.List;

/**
 * A page of a list an operation returns: checked, so that a caller cannot ask for the whole of a large
 * list at once.
 *
 * @param offset how many items to skip
 * @param limit at most this many
 */
record Page(int offset, int limit) {

    static final int MAX_LIMIT = 1000;

    Page {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, not " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }

    <T> List<T> of(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, (int) Math.min(all.size(), (long) offset + limit));
    }
}
