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
    private static volatile byte[] asForm;
    private static volatile byte[] asObjectStream;

    private WarmupProbe() {
    }

    /**
     * @param form whether the process the probe warms up for is a {@code ProcessForm} (else an object stream)
     * @return the probe's encoding in that form, made once per JVM; empty if it cannot be made (warming up is an
     *     optimization)
     */
    public static byte[] encoded(boolean form) {
        byte[] e = form ? asForm : asObjectStream;
        if (e == null) {
            try {
                ChildProcess probe = ProcessAccess.get().probe(probe(), "warmup");
                e = form ? ProcessAccess.get().encode(probe) : JdkCodec.INSTANCE.encode(probe);
            } catch (IOException | RuntimeException ex) {
                e = new byte[0];
            }
            if (form) {
                asForm = e;
            } else {
                asObjectStream = e;
            }
        }
        return e;
    }

    private static SerializableRunnable probe() {
        return () -> Thread.currentThread().getName();
    }

    /**
     * Decodes a probe that {@link #encoded} made, ignoring any failure.
     *
     * @return the probe process, or null if there was none or it could not be decoded
     */
    static ChildProcess decode(byte[] probe) {
        if (probe.length == 0) {
            return null;
        }
        try {
            return ProcessAccess.get().decode(probe, WarmupProbe.class.getClassLoader());
        } catch (IOException | RuntimeException | LinkageError e) {
            return null; // warming up is an optimization only
        }
    }
}
