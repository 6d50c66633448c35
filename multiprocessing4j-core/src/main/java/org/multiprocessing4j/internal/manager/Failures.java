package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Constructor;

/**
 * How a failure on the server reaches the caller: as an exception of the same type, thrown here (so the caller's
 * own stack trace is on top), whose cause is the server's exception with the server's stack trace.
 */
final class Failures {
    private Failures() {
    }

    /**
     * @param remote the exception as the server threw it
     * @return an exception of the same type with {@code remote} as its cause, or {@code remote} itself when the
     *     type cannot be made so
     */
    static Throwable local(Throwable remote) {
        Class<? extends Throwable> type = remote.getClass();
        String message = remote.getMessage();
        try {
            Constructor<? extends Throwable> c = type.getConstructor(String.class, Throwable.class);
            return c.newInstance(message, remote);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // try the next shape
        }
        try {
            Throwable t = type.getConstructor(String.class).newInstance(message);
            t.initCause(remote);
            return t;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // try the next shape
        }
        try {
            Throwable t = type.getConstructor().newInstance();
            t.initCause(remote);
            return t;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return remote;
        }
    }

    /**
     * @param t a throwable the server is about to send
     * @return {@code t}, or a stand-in that can be serialized when {@code t} cannot
     */
    static Throwable sendable(Throwable t) {
        try {
            org.multiprocessing4j.internal.codec.JdkCodec.INSTANCE.encode(t);
            return t;
        } catch (java.io.IOException | RuntimeException e) {
            RuntimeException r = new RuntimeException(t.toString() + " (the exception itself could not be serialized: "
                    + e + ")");
            r.setStackTrace(t.getStackTrace());
            return r;
        }
    }
}
