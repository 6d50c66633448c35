package org.multiprocessing4j.connection;

import java.io.ObjectInputFilter;
import org.multiprocessing4j.internal.codec.SerialFilters;

/**
 * The deserialization filter that every object received by this process goes through (connections, and anything
 * else the library deserializes from another process). By default it only refuses object graphs no legitimate
 * message has (depth over 1000, over 10 million references); {@code -Djdk.serialFilter=…} (the JVM-wide filter)
 * or {@code -Dmp4j.serialFilter=…} (the library's own, same syntax) replaces that base, and filters added here
 * narrow it further.
 *
 * <p>A class is refused if the base or any added filter rejects it. A refused class fails the receive with
 * {@link java.io.InvalidClassException} whose message names the class (or the limit) and the filter; the message
 * is consumed and the connection stays usable.
 *
 * <p>An allow-list such as {@code addPattern("com.example.**;java.**;org.multiprocessing4j.**;!*")} rejects every
 * other class; keep {@code org.multiprocessing4j.**} and {@code java.lang.invoke.SerializedLambda} (for lambdas) in
 * it.
 */
public final class SerialFilter {
    private SerialFilter() {
    }

    /**
     * Adds a filter, consulted from the next message on, in every thread of this process.
     *
     * @param filter the filter
     * @return the filter, for {@link #remove}
     */
    public static ObjectInputFilter add(ObjectInputFilter filter) {
        SerialFilters.add(filter);
        return filter;
    }

    /**
     * Adds a filter written as a pattern of {@link ObjectInputFilter.Config#createFilter} ({@code "!com.example.Bad"}
     * refuses one class, {@code "maxbytes=1000000"} a size).
     *
     * @param pattern the pattern
     * @return the filter made from it, for {@link #remove}
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public static ObjectInputFilter addPattern(String pattern) {
        return add(ObjectInputFilter.Config.createFilter(pattern));
    }

    /**
     * Removes a filter added before.
     *
     * @param filter the filter
     * @return whether it was there
     */
    public static boolean remove(ObjectInputFilter filter) {
        return SerialFilters.remove(filter);
    }

    /** @return the filter in force now (the base and the added filters) */
    public static ObjectInputFilter current() {
        return SerialFilters.current();
    }
}
