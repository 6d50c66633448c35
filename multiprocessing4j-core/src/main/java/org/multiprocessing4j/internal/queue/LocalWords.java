package org.multiprocessing4j.internal.queue;

import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's copy of a queue's tail word and head word, one per queue and process (shared by every copy of the
 * queue here), so that a put or take that takes its lock straight back from this process
 * ({@code Mutex.tryLockReleasedHere}) need not read the word, nor the region word of its side, from shared memory.
 *
 * <pre>
 * Overview.
 *  The tail copy is read and written under the put lock only, the head copy under the take lock only (the lock's
 *  release and acquire order them between this process's threads). A copy is valid only while it is exact:
 *   - whoever takes the lock, in any way, clears the valid flag first (put, take, peek, a consumer that shrinks
 *     the queue under the put lock);
 *   - only the common case sets it again, before the unlock: a put that appended in the ring (its new tail word), a
 *     take that consumed an inline record in the ring (its new head word), or found the ring empty (the head
 *     word it trusted); so a valid copy also says that its side is in the ring.
 *  A copy is trusted only when the lock was free with this process's own mark (no other process has held it
 *  since this one released it, hence no other process wrote the word); a lock taken over from a dead holder, or
 *  handed over from another process, is not, and the word is read from shared memory.
 * </pre>
 */
final class LocalWords {
    private static final ConcurrentHashMap<String, LocalWords> BY_QUEUE = new ConcurrentHashMap<>();

    /** The tail word as this process published it last, under the put lock. */
    long tail;
    /** Whether {@link #tail} is exact and producers are in the ring. */
    boolean tailValid;
    /** The head word as this process left it last, under the take lock. */
    long head;
    /** Whether {@link #head} is exact and consumers are in the ring. */
    boolean headValid;

    private LocalWords() {
    }

    /**
     * @param segmentName the queue's segment
     * @return this process's copies of that queue's words
     */
    static LocalWords of(String segmentName) {
        return BY_QUEUE.computeIfAbsent(segmentName, n -> new LocalWords());
    }

    /** Forgets a discarded queue's copies. */
    static void forget(String segmentName) {
        BY_QUEUE.remove(segmentName);
    }
}
