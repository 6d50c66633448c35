package org.multiprocessing4j.internal.codec;

import java.io.ObjectInputFilter;

/**
 * The deserialization filter of the library's codec: the JVM-wide filter ({@code jdk.serialFilter}) where one is
 * set, else the pattern in the system property {@code mp4j.serialFilter}, else limits that only refuse graphs
 * that no legitimate message has (depth and reference counts), so that a forged stream cannot exhaust memory.
 */
final class SerialFilters {
    private static final String DEFAULT_LIMITS = "maxdepth=1000;maxrefs=10000000;maxarray=2147483647";
    private static volatile ObjectInputFilter filter;

    private SerialFilters() {
    }

    static ObjectInputFilter current() {
        ObjectInputFilter f = filter;
        if (f == null) {
            ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
            String own = System.getProperty("mp4j.serialFilter");
            f = global != null ? global
                    : ObjectInputFilter.Config.createFilter(own != null && !own.isBlank() ? own : DEFAULT_LIMITS);
            filter = f;
        }
        return f;
    }
}
