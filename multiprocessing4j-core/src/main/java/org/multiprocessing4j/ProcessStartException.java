package org.multiprocessing4j;

/**
 * Thrown by {@link ChildProcess#start()} when a child JVM cannot be started: the java executable is missing, a
 * JVM option is refused, the class path lacks the library, or the child never connected back in time. The
 * message carries the observed state (command, exit code, elapsed time) and the tail of the child's stderr.
 * Nothing that the failed start acquired is left behind.
 */
public class ProcessStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, with the observed state and what to check
     * @param cause the underlying failure, or {@code null}
     */
    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
