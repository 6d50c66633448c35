package org.multiprocessing4j.manager;

import java.time.Duration;

/**
 * An event flag held by a manager: Python's {@code Manager().Event()}, with the methods of
 * {@link org.multiprocessing4j.sync.ProcessEvent}.
 *
 * <p><b>Interrupts.</b> A thread interrupted in {@code await} gets {@link InterruptedException}; its connection to
 * the server is dropped (the server's side of the wait ends when the event is set).
 */
public interface ManagedEvent {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** @return whether the flag is set */
    boolean isSet();

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits until the flag is set or the time-out passes.
     *
     * @param timeout how long to wait
     * @return whether the flag is set
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException;
}
