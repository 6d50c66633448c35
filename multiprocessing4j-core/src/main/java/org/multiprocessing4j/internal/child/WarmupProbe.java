package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * The warm-up of a spawned child: a process with a lambda target that the parent encodes once and hands to every
 * spawned child in its bootstrap line, and that the child decodes while it connects (Connector). Decoding it
 * initializes the object input stream, its filter, the process's class descriptors and the lambda machinery, about
 * as much CPU as the process's own decoding would pay, on the second core; encoding it in the child instead would load the whole encoder too, which a child that only runs
 * its task never needs.
 */
public final class WarmupProbe {
    private static volatile byte[] encoded;

    private WarmupProbe() {
    }

    /**
     * @return the probe's encoding, made once per JVM; empty if it cannot be made (warming up is an optimization)
     */
    public static byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            try {
                e = JdkCodec.INSTANCE.encode(ProcessAccess.get().probe(probe(), "warmup"));
            } catch (IOException | RuntimeException ex) {
                e = new byte[0];
            }
            encoded = e;
        }
        return e;
    }

    private static SerializableRunnable probe() {
        return () -> Thread.currentThread().getName();
    }

    /**
     * Decodes a probe that {@link #encoded()} made, ignoring any failure.
     *
     * @return the probe process, or null if there was none or it could not be decoded
     */
    static ChildProcess decode(byte[] probe) {
        if (probe.length == 0) {
            return null;
        }
        try {
            return (ChildProcess) JdkCodec.INSTANCE.decode(probe, WarmupProbe.class.getClassLoader());
        } catch (IOException | RuntimeException | LinkageError e) {
            return null; // warming up is an optimization only
        }
    }
}
