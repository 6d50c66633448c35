package org.multiprocessing4j;

/**
 * How a {@link ChildProcess} gets its JVM (Python's start methods). Every method gives each process a JVM of its
 * own that has run nothing else, so no state leaks from one process to the next.
 */
public enum StartMethod {
    /** A fresh JVM is launched by {@code start()} (Python's {@code spawn}). */
    SPAWN,
    /**
     * A JVM launched ahead of time, already connected and warmed up, is handed the process by {@code start()}; a
     * replacement is launched in the background (Python's {@code forkserver} idea). Each JVM still runs exactly one
     * process. The default.
     */
    PRESTART
}
