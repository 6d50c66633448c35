package org.multiprocessing4j.internal.wait;

import java.io.IOException;

/**
 * A connection whose arrivals are announced through a {@link WaitQueue} in shared memory: a select over several of
 * them enters each one's queue and parks once ({@link WaitQueue#parkAny}), instead of polling them in turn.
 */
public interface Awaitable {
    /**
     * @return the queue that a sender wakes after each message it publishes (and at a close or a break)
     * @throws IOException if this end is closed
     */
    WaitQueue arrivals() throws IOException;

    /** @return whether something has arrived: a cheap look, no liveness check, false once closed */
    boolean hasData();
}
