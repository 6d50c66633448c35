package org.multiprocessing4j.sync;

/**
 * A {@link ProcessSemaphore} that refuses to hold more permits than it started with (Python's
 * {@code BoundedSemaphore}): a release past the start value throws {@link IllegalStateException}, which catches a
 * release too many. Cross-process visibility, death of a process and fairness: as {@link ProcessSemaphore}.
 */
public class ProcessBoundedSemaphore extends ProcessSemaphore {
    private static final long serialVersionUID = 1L;

    /**
     * Makes a bounded semaphore.
     *
     * @param permits the start value and bound, 0 or more
     * @throws IllegalArgumentException if negative
     */
    public ProcessBoundedSemaphore(int permits) {
        super(permits, true);
    }

    /**
     * Returns a permit.
     *
     * @throws IllegalStateException if the permits would pass the start value
     */
    @Override
    public void release() {
        super.release();
    }
}
