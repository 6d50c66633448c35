package org.multiprocessing4j.internal.pool.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.codec.LambdaForms;

/**
 * The encoding of pool tasks and functions: a serializable lambda travels as plain data ({@link LambdaForms}: its
 * shape, the same for every value of its class, plus its captured values, each through {@link JdkCodec}, whose fast
 * paths cover boxed numbers and strings), the same form a child's process takes; anything else travels as one JDK
 * object stream. For the typical task {@code () -> work(i)} this costs about a microsecond on each side instead of
 * an object stream's descriptors, handles and reflection (several microseconds warm, tens in a fresh worker JVM),
 * and a worker makes each lambda class once.
 *
 * <pre>
 * Layout: tag (1 byte), then
 *   0    a JdkCodec message (the whole object)
 *   'L'  the rest of a lambda's form (LambdaForms, whose own tag this is)
 * </pre>
 */
public final class LambdaCodec {
    private static final byte OBJECT = 0;

    private LambdaCodec() {
    }

    /**
     * Encodes a task or function.
     *
     * @param value a serializable object, typically a lambda
     * @return its bytes
     * @throws java.io.NotSerializableException if it holds something that cannot be serialized, naming the class
     * @throws IOException if encoding fails otherwise
     */
    public static byte[] encode(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (value != null && LambdaForms.write(value, out)) {
                out.flush();
                return bytes.toByteArray();
            }
        }
        byte[] object = JdkCodec.INSTANCE.encode(value);
        byte[] tagged = new byte[1 + object.length];
        tagged[0] = OBJECT;
        System.arraycopy(object, 0, tagged, 1, object.length);
        return tagged;
    }

    /**
     * Decodes what {@link #encode} made.
     *
     * @param bytes the bytes
     * @param loader the class loader for the classes named
     * @return the object
     * @throws IOException if the bytes are corrupt, or a class is missing or cannot be made here
     */
    public static Object decode(byte[] bytes, ClassLoader loader) throws IOException {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("empty task encoding");
        }
        if (LambdaForms.isForm(bytes)) {
            return LambdaForms.read(new DataInputStream(new ByteArrayInputStream(bytes)), loader);
        }
        if (bytes[0] != OBJECT) {
            throw new StreamCorruptedException("unknown task encoding: tag=" + bytes[0] + " length=" + bytes.length);
        }
        return JdkCodec.INSTANCE.decode(Arrays.copyOfRange(bytes, 1, bytes.length), loader);
    }
}
