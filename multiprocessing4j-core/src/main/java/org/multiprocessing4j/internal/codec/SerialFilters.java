package org.multiprocessing4j.internal.codec;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The deserialization filter of the library's codec: filters added by the user (through the public
 * {@code org.multiprocessing4j.connection.SerialFilter}), then the base filter: the JVM-wide filter
 * ({@code jdk.serialFilter}) where one is set, else the pattern in the system property {@code mp4j.serialFilter},
 * else limits that only refuse graphs that no legitimate message has (depth and reference counts), so that a
 * forged stream cannot exhaust memory.
 *
 * <pre>
 * Overview: a class or limit check is REJECTED if any added filter or the base filter rejects it; else ALLOWED if
 * any of them allows it; else UNDECIDED (which ObjectInputStream treats as allowed).
 * </pre>
 */
public final class SerialFilters {
    private static final String DEFAULT_LIMITS = "maxdepth=1000;maxrefs=10000000";
    private static final List<ObjectInputFilter> ADDED = new CopyOnWriteArrayList<>();
    private static volatile ObjectInputFilter base;

    private SerialFilters() {
    }

    /**
     * Adds a filter that every later decode consults.
     *
     * @param filter the filter
     */
    public static void add(ObjectInputFilter filter) {
        ADDED.add(Objects.requireNonNull(filter, "filter"));
    }

    /**
     * Removes a filter added before.
     *
     * @param filter the filter
     * @return whether it was there
     */
    public static boolean remove(ObjectInputFilter filter) {
        return ADDED.remove(filter);
    }

    /** @return the filter as it stands: the added filters and the base */
    public static ObjectInputFilter current() {
        ObjectInputFilter b = base();
        List<ObjectInputFilter> added = List.copyOf(ADDED);
        if (added.isEmpty()) {
            return b;
        }
        return info -> {
            ObjectInputFilter.Status result = b.checkInput(info);
            if (result == ObjectInputFilter.Status.REJECTED) {
                return result;
            }
            for (ObjectInputFilter f : added) {
                ObjectInputFilter.Status s = f.checkInput(info);
                if (s == ObjectInputFilter.Status.REJECTED) {
                    return s;
                }
                if (s == ObjectInputFilter.Status.ALLOWED) {
                    result = s;
                }
            }
            return result;
        };
    }

    private static ObjectInputFilter base() {
        ObjectInputFilter f = base;
        if (f == null) {
            ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
            String own = System.getProperty("mp4j.serialFilter");
            f = global != null ? global
                    : ObjectInputFilter.Config.createFilter(own != null && !own.isBlank() ? own : DEFAULT_LIMITS);
            base = f;
        }
        return f;
    }
}
