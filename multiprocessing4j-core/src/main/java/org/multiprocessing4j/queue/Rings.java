package org.multiprocessing4j.queue;

import java.io.InvalidObjectException;
import org.multiprocessing4j.internal.queue.ItemRing;

/** The queues' shared step when a copy is deserialized in another process. */
final class Rings {
    private Rings() {
    }

    /**
     * Attaches the ring of a deserialized queue.
     *
     * @param segmentName the queue's segment
     * @return the ring
     * @throws InvalidObjectException if the queue is gone: every process that used it has ended
     */
    static ItemRing reattach(String segmentName) throws InvalidObjectException {
        try {
            return ItemRing.attach(segmentName);
        } catch (IllegalArgumentException e) {
            InvalidObjectException ex = new InvalidObjectException("the queue is gone: every process that used it "
                    + "has ended (segment=" + segmentName + "): " + e.getMessage());
            ex.initCause(e);
            throw ex;
        }
    }
}
