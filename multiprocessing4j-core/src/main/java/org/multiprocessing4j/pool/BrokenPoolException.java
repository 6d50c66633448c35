package org.multiprocessing4j.pool;

/**
 * The pool cannot run tasks any more: its initializer failed in a worker, or a worker could not be started. Every
 * pending task and every later submission fails with this exception, whose cause is the original failure (with the
 * worker's stack trace). Python's {@code Pool} respawns such workers forever; {@code ProcessPoolExecutor} reports
 * {@code BrokenProcessPool}, which this is.
 */
public class BrokenPoolException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what broke the pool, with the observed state
     * @param cause the original failure
     */
    public BrokenPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
