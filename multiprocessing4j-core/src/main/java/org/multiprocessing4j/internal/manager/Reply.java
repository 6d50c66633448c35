package org.multiprocessing4j.internal.manager;

/** The server's answer to one {@link Request}. */
public sealed interface Reply {
    /** @param value the result (a proxy where the method returns a proxied interface) */
    record Value(Object value) implements Reply {
    }

    /**
     * The results of a {@link Request.Batch}, each encoded on its own (no object stream around the list).
     *
     * @param values the results, in order
     */
    record Values(java.util.List<Object> values) implements Reply {
    }

    /** @param failure what the call threw on the server, with the server's stack trace */
    record Failure(Throwable failure) implements Reply {
    }
}
