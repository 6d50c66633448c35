package org.multiprocessing4j.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.multiprocessing4j.internal.queue.ItemRing;

/**
 * What the public queues share on top of {@link ItemRing}: refusing null, turning encoding failures into the
 * exceptions of {@link java.util.concurrent.BlockingQueue} (items are decoded with the taking thread's
 * {@code JdkCodec.receiverLoader()}, looked up only for an item that needs it).
 */
final class Items {
    private Items() {
    }

    /**
     * Puts {@code item}; see {@code PutSide.put}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if it cannot be serialized (the message names the class)
     */
    static boolean put(ItemRing ring, Object item, long deadline, boolean noWait) throws InterruptedException {
        Objects.requireNonNull(item, "a queue refuses null items (as every BlockingQueue)");
        try {
            return ring.puts().put(item, deadline, noWait);
        } catch (IOException e) {
            throw new IllegalArgumentException("the item cannot be put on a process queue: it is not serializable: "
                    + e.getMessage() + " (item class=" + item.getClass().getName() + ")", e);
        }
    }

    /**
     * Takes an item; see {@code TakeSide.take}.
     *
     * @throws UncheckedIOException if it cannot be decoded here (a class missing, refused by the filter); the item
     *     has been taken from the queue all the same
     */
    @SuppressWarnings("unchecked")
    static <E> E take(ItemRing ring, long deadline, boolean noWait) throws InterruptedException {
        try {
            return (E) ring.takes().take(deadline, noWait, null); // the loader is looked up only if an item needs it
        } catch (IOException e) {
            throw undecodable(e);
        }
    }

    /** A copy of the head item, or null; see {@code TakeSide.peek}. */
    @SuppressWarnings("unchecked")
    static <E> E peek(ItemRing ring) {
        try {
            return (E) ring.takes().peek(null);
        } catch (IOException e) {
            throw undecodable(e);
        }
    }

    private static UncheckedIOException undecodable(IOException e) {
        return new UncheckedIOException("an item taken from a process queue cannot be decoded in this process: "
                + e.getMessage(), e);
    }

    static IllegalStateException closed(String what, String segment) {
        return new IllegalStateException(what + " is closed in this process: segment=" + segment
                + " (close() ends this copy's use; other copies and processes go on)");
    }
}
