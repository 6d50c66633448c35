package org.multiprocessing4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.codec.LambdaForms;

/**
 * The process a child is given, as plain data rather than an object stream, when it is a {@code ChildProcess} (no
 * subclass) whose target is a lambda: what most programs start. A child JVM decodes it without the JDK's object
 * streams, in a fraction of their interpreted cost, and a JVM started ahead of time can make the lambda's class
 * before the process arrives ({@link LambdaForms}, {@code internal.codec.Lambdas}). Any other process goes through
 * {@code JdkCodec}.
 *
 * <pre>
 * Layout: the target's lambda form (LambdaForms: tag, shape, captured values), then
 *   name (UTF), daemon (boolean), auth key (int length, bytes), identity (int count, ints), creator pid (long),
 *   JVM options (int count, UTF each)
 * </pre>
 */
final class ProcessForm {
    private static final int MAX_KEY = 1 << 16;
    private static final int MAX_COUNT = 1 << 16;

    private ProcessForm() {
    }

    /**
     * @param p a process
     * @return its form, or null if it needs an object stream (a subclass, a target that is no plain lambda, a
     *     name or option longer than 65535 bytes)
     */
    static byte[] encode(ChildProcess p) {
        if (p.getClass() != ChildProcess.class || p.target() == null) {
            return null;
        }
        ByteSink bytes = new ByteSink(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (!LambdaForms.write(p.target(), out)) {
                return null;
            }
            out.writeUTF(p.name());
            out.writeBoolean(p.isDaemon());
            byte[] key = p.authKey();
            out.writeInt(key.length);
            out.write(key);
            int[] identity = p.identity();
            out.writeInt(identity.length);
            for (int i : identity) {
                out.writeInt(i);
            }
            out.writeLong(p.creatorPid());
            out.writeInt(p.jvmOptions().size());
            for (String o : p.jvmOptions()) {
                out.writeUTF(o);
            }
        } catch (IOException | RuntimeException e) {
            return null; // the object stream reports what cannot be sent
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes what {@link #encode} made
     * @param loader the loader of the task's classes
     * @return the process
     * @throws IOException if the form is corrupt, or its lambda cannot be made here
     */
    static ChildProcess decode(byte[] bytes, ClassLoader loader) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        Object target = LambdaForms.readTarget(in, loader);
        if (!(target instanceof SerializableRunnable)) {
            throw new StreamCorruptedException("the target of a process form is a " + target.getClass().getName()
                    + ", not a SerializableRunnable");
        }
        String name = in.readUTF();
        boolean daemon = in.readBoolean();
        byte[] key = new byte[count(in, MAX_KEY)];
        in.readFully(key);
        int[] identity = new int[count(in, MAX_COUNT)];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = in.readInt();
        }
        long creatorPid = in.readLong();
        int options = count(in, MAX_COUNT);
        List<String> jvmOptions = new ArrayList<>(options);
        for (int i = 0; i < options; i++) {
            jvmOptions.add(in.readUTF());
        }
        return new ChildProcess((SerializableRunnable) target, identity, creatorPid, name, daemon, key,
                List.copyOf(jvmOptions));
    }

    private static int count(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max || n > in.available()) {
            throw new StreamCorruptedException("count out of range in a process form: " + n + " (max " + max
                    + ", " + in.available() + " bytes left)");
        }
        return n;
    }
}
