package org.multiprocessing4j.internal.child;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.codec.LambdaShape;

/**
 * What a child warms up with while it connects (the warm-up field of its bootstrap line): the shapes of the lambdas
 * it will be given, whose classes it makes ahead ({@code Lambdas.prepare}), and for a spawned child whose process
 * needs an object stream, a probe process to decode, which initializes the object input stream, its filter and the
 * class descriptors on the second core (encoding it in the child instead would load the whole encoder too).
 *
 * <pre>
 * Layout: the shapes (LambdaShape.encodeAll: count, shapes), then the probe's encoding to the end (none if empty)
 * spawn, a process form that captures only values with a fast path: its shape, no probe
 * spawn, any other process: the shape if it is a form, and the probe encoded through an object stream
 * ready: the shapes of the lambdas its parent sent lately (LambdaShape.encodeAll), then one byte in place of the
 *        probe (the JVM makes its own probes, Warmup): the primitives its parent has used (PrimitiveUse bits),
 *        which it rehearses while it waits (Rehearsals)
 * </pre>
 */
public final class WarmupProbe {
    private static volatile byte[] asForm;
    private static volatile byte[] asObjectStream;

    private WarmupProbe() {
    }

    /**
     * @param process the encoded process a spawned child will be given
     * @return its warm-up
     */
    public static byte[] forSpawn(byte[] process) {
        List<LambdaShape> shapes = List.of();
        boolean needsStream = true;
        if (LambdaForms.isForm(process)) {
            try {
                shapes = List.of(LambdaForms.peekShape(process));
                needsStream = LambdaForms.capturesStreamedValues(process);
            } catch (IOException e) {
                // a corrupt form fails where it is decoded
            }
        }
        return plan(LambdaShape.encodeAll(shapes), needsStream ? encoded(false) : new byte[0]);
    }

    /**
     * @param shapes the shapes of the lambdas its parent sent lately ({@code LambdaShape.encodeAll})
     * @param primitives the primitives its parent has used ({@code PrimitiveUse} bits)
     * @return a ready JVM's warm-up
     */
    public static byte[] forReady(byte[] shapes, int primitives) {
        return plan(shapes, new byte[] {(byte) primitives});
    }

    private static byte[] plan(byte[] shapes, byte[] probe) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(shapes.length + probe.length);
        out.writeBytes(shapes);
        out.writeBytes(probe);
        return out.toByteArray();
    }

    /**
     * Reads a warm-up.
     *
     * @param warmup what {@link #forSpawn} made, a ready JVM's shapes, or empty
     * @return the shapes to prepare and the probe to decode (empty for none)
     * @throws IOException if it is corrupt
     */
    static Plan read(byte[] warmup) throws IOException {
        if (warmup.length == 0) {
            return new Plan(List.of(), warmup);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(warmup));
        List<LambdaShape> shapes = LambdaShape.readAll(in);
        return new Plan(shapes, in.readAllBytes());
    }

    /**
     * @param form whether the probe is to be a {@code ProcessForm} (else an object stream)
     * @return the probe's encoding in that form, made once per JVM; empty if it cannot be made (warming up is an
     *     optimization)
     */
    static byte[] encoded(boolean form) {
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

    /** The shapes to prepare and the probe to decode (for a ready JVM: the byte of {@link #forReady}). */
    record Plan(List<LambdaShape> shapes, byte[] probe) {
        /** @return a ready JVM's primitives to rehearse ({@code PrimitiveUse} bits) */
        int primitives() {
            return probe.length == 1 ? probe[0] & PrimitiveUse.ALL : 0;
        }
    }
}
