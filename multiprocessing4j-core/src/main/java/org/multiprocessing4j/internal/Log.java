package org.multiprocessing4j.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The library's lifecycle events (a child started or ended, a JVM made ready, an archive published). They go to
 * the {@link System.Logger} named {@code org.multiprocessing4j} at level {@code DEBUG}, so applications route them to
 * their own framework, and, after {@code Multiprocessing.logToStderr()}, also to stderr as
 * {@code [INFO/<process name>] message} (Python's {@code log_to_stderr()}); children started afterwards inherit the
 * switch. Events are handed to one daemon thread, since finding a logger costs a fresh JVM ~13 ms here: a start
 * never waits for it.
 */
public final class Log {
    /** The system property that passes the stderr switch to a child. */
    public static final String STDERR_PROPERTY = "mp4j.logToStderr";
    private static volatile boolean toStderr = Boolean.getBoolean(STDERR_PROPERTY);
    private static BlockingQueue<String> queue;

    private Log() {
    }

    /** Turns on printing to stderr in this process and the children it starts from now on. */
    public static void enableStderr() {
        toStderr = true;
    }

    /** @return whether events are printed to stderr */
    public static boolean stderrEnabled() {
        return toStderr;
    }

    /**
     * Records one event.
     *
     * @param processName the name of the process the event happens in
     * @param message what happened, with the observed state
     */
    public static void event(String processName, String message) {
        if (toStderr) {
            System.err.println("[INFO/" + processName + "] " + message);
        }
        queue().offer(message);
    }

    private static synchronized BlockingQueue<String> queue() {
        if (queue == null) {
            BlockingQueue<String> q = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> {
                System.Logger logger = System.getLogger("org.multiprocessing4j");
                try {
                    while (true) {
                        logger.log(System.Logger.Level.DEBUG, q.take());
                    }
                } catch (InterruptedException e) {
                    // the JVM is ending
                }
            }, "mp4j-log");
            t.setDaemon(true);
            t.start();
            queue = q;
        }
        return queue;
    }
}
