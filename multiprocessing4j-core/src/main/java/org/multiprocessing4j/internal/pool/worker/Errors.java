package org.multiprocessing4j.internal.pool.worker;

import java.io.IOException;
import org.multiprocessing4j.internal.codec.JdkCodec;

/** Turns a task's exception into bytes, whether or not it can be serialized. */
final class Errors {
    private Errors() {
    }

    /**
     * Encodes the exception as it is; if it (or something it holds) cannot be serialized, encodes a
     * {@link RuntimeException} that names its class and message and keeps its stack trace.
     */
    static byte[] encode(Throwable t) {
        try {
            return JdkCodec.INSTANCE.encode(t);
        } catch (IOException | RuntimeException e) {
            RuntimeException stand = new RuntimeException(t.getClass().getName() + ": " + t.getMessage()
                    + " (the worker's exception could not be serialized: " + e + ")");
            stand.setStackTrace(t.getStackTrace());
            try {
                return JdkCodec.INSTANCE.encode(stand);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
