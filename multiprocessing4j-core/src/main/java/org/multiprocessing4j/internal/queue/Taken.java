package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * What a take claimed under the take lock, finished after it: an item decoded in place is returned as it is; the
 * bytes of a serialized object are deserialized, a side item is decoded from its segment, a failure is thrown.
 */
final class Taken {
    private Taken() {
    }

    /** An item's bytes, to deserialize after the lock. */
    record Raw(byte[] bytes) {
    }

    /** An item that could not be decoded (it is taken all the same). */
    record Failed(IOException failure) {
    }

    /**
     * Step 5 of take.
     *
     * @param got what the claim returned
     * @param loader resolves the item's classes; null: this thread's {@link JdkCodec#receiverLoader()}
     * @return the item
     * @throws IOException if it cannot be decoded here
     */
    static Object finish(Object got, ClassLoader loader) throws IOException {
        if (got instanceof Raw) {
            return JdkCodec.INSTANCE.decode(((Raw) got).bytes(), loaderOr(loader));
        }
        if (got instanceof Failed) {
            throw ((Failed) got).failure();
        }
        if (got instanceof SideItems.Claimed) {
            return SideItems.read((SideItems.Claimed) got, loaderOr(loader));
        }
        return got; // decoded under the lock (an item is never one of these types: they do not serialize)
    }

    private static ClassLoader loaderOr(ClassLoader loader) {
        return loader != null ? loader : JdkCodec.receiverLoader();
    }
}
