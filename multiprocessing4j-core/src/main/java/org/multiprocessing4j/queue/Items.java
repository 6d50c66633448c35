package org.multiprocessing4j.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.multiprocessing4j.internal.codec.JdkCodec;

/** Encoding of queue items: the library's codec (fast paths for byte[], String, boxed primitives; else JDK serialization). */
final class Items {
    private Items() {
    }

    /**
     * @param item the item
     * @return its bytes
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if it cannot be serialized (the cause names the class)
     */
    static byte[] encode(Object item) {
        Objects.requireNonNull(item, "a queue refuses null items (as every BlockingQueue)");
        try {
            return JdkCodec.INSTANCE.encode(item);
        } catch (IOException e) {
            throw new IllegalArgumentException("the item cannot be put on a process queue: it is not serializable: "
                    + e.getMessage() + " (item class=" + item.getClass().getName() + ")", e);
        }
    }

    /**
     * @param bytes an item's bytes, or null
     * @return the item, or null
     * @throws UncheckedIOException if it cannot be decoded here (a class missing, refused by the filter); the item has
     *     been taken from the queue all the same
     */
    @SuppressWarnings("unchecked")
    static <E> E decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return (E) JdkCodec.INSTANCE.decode(bytes, loader != null ? loader : Items.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException("an item taken from a process queue cannot be decoded in this process (it "
                    + "is lost): " + e.getMessage(), e);
        }
    }

    static IllegalStateException closed(String what, String segment) {
        return new IllegalStateException(what + " is closed in this process: segment=" + segment
                + " (close() ends this copy's use; other copies and processes go on)");
    }
}
