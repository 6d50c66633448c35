package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JDK serialization behind a one-byte tag, with fast paths for {@code null}, {@code byte[]}, {@link String} and the
 * boxed primitives (JDK serialization of one small object costs microseconds and a hundred bytes; these cost a
 * few nanoseconds and at most nine bytes; {@link BufferCodec} writes and reads them in a buffer, in shared
 * memory). Lambdas assigned to a serializable interface travel through
 * {@code SerializedLambda}. Every object stream goes through a deserialization filter.
 *
 * <pre>
 * Layout: tag (1 byte), then
 *   0 null | 1 JDK object stream | 2 byte[] raw | 3 String UTF-8 | 4 Integer (4 bytes, big-endian)
 *   5 Long (8) | 6 Double (8, raw bits) | 7 Boolean (1)
 * </pre>
 */
public final class JdkCodec implements Codec {
    /** The shared instance. */
    public static final JdkCodec INSTANCE = new JdkCodec();

    /**
     * @return the class loader that resolves the classes of values this thread receives: its context class loader,
     *     else the library's
     */
    public static ClassLoader receiverLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : JdkCodec.class.getClassLoader();
    }

    static final byte NULL = 0;
    static final byte OBJECT = 1;
    static final byte BYTES = 2;
    static final byte STRING = 3;
    static final byte INT = 4;
    static final byte LONG = 5;
    static final byte DOUBLE = 6;
    static final byte BOOLEAN = 7;

    private JdkCodec() {
    }

    @Override
    public byte[] encode(Object value) throws IOException {
        if (value == null) {
            return new byte[] {NULL};
        }
        if (value instanceof byte[]) {
            byte[] raw = (byte[]) value;
            byte[] out = new byte[raw.length + 1];
            out[0] = BYTES;
            System.arraycopy(raw, 0, out, 1, raw.length);
            return out;
        }
        if (value instanceof String) {
            byte[] raw = ((String) value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[raw.length + 1];
            out[0] = STRING;
            System.arraycopy(raw, 0, out, 1, raw.length);
            return out;
        }
        if (value instanceof Integer) {
            return putLong(INT, (Integer) value, 4);
        }
        if (value instanceof Long) {
            return putLong(LONG, (Long) value, 8);
        }
        if (value instanceof Double) {
            return putLong(DOUBLE, Double.doubleToRawLongBits((Double) value), 8);
        }
        if (value instanceof Boolean) {
            return new byte[] {BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(OBJECT);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes, ClassLoader loader) throws IOException {
        return decode(bytes, 0, bytes.length, loader);
    }

    /**
     * Encodes a value that has a fast path ({@code null}, {@code byte[]}, {@link String}, the boxed primitives) into
     * {@code dst} at {@code at}, exactly as {@link #encode} would, when it fits: for callers that build a frame in a
     * reused array (a manager call), so that a small value costs no array of its own.
     *
     * @param value the value
     * @param dst the array
     * @param at where the encoding starts
     * @return where it ends (exclusive); -1 if the value has no fast path or does not fit (then use {@link #encode})
     */
    public int encodeInto(Object value, byte[] dst, int at) {
        int room = dst.length - at;
        if (value == null) {
            if (room < 1) {
                return -1;
            }
            dst[at] = NULL;
            return at + 1;
        }
        if (value instanceof String) {
            byte[] raw = ((String) value).getBytes(StandardCharsets.UTF_8);
            return copyInto(STRING, raw, dst, at);
        }
        if (value instanceof Integer) {
            return room < 5 ? -1 : putLong(INT, (Integer) value, 4, dst, at);
        }
        if (value instanceof Long) {
            return room < 9 ? -1 : putLong(LONG, (Long) value, 8, dst, at);
        }
        if (value instanceof byte[]) {
            return copyInto(BYTES, (byte[]) value, dst, at);
        }
        if (value instanceof Double) {
            return room < 9 ? -1 : putLong(DOUBLE, Double.doubleToRawLongBits((Double) value), 8, dst, at);
        }
        if (value instanceof Boolean) {
            if (room < 2) {
                return -1;
            }
            dst[at] = BOOLEAN;
            dst[at + 1] = (byte) ((Boolean) value ? 1 : 0);
            return at + 2;
        }
        return -1;
    }

    private static int copyInto(byte tag, byte[] raw, byte[] dst, int at) {
        if (dst.length - at < raw.length + 1) {
            return -1;
        }
        dst[at] = tag;
        System.arraycopy(raw, 0, dst, at + 1, raw.length);
        return at + 1 + raw.length;
    }

    private static int putLong(byte tag, long value, int size, byte[] dst, int at) {
        dst[at] = tag;
        for (int i = size; i >= 1; i--) {
            dst[at + i] = (byte) value;
            value >>>= 8;
        }
        return at + size + 1;
    }

    /**
     * @param src an array holding an encoding at {@code at}
     * @param at where it starts
     * @return whether it is an object stream (whose decoding may resolve classes and run {@code readResolve})
     */
    public static boolean isObjectStream(byte[] src, int at) {
        return src[at] == OBJECT;
    }

    /**
     * Decodes an encoding that lies in part of an array, as {@link #decode(byte[], ClassLoader)} would, without
     * copying it first unless it is an object stream.
     *
     * @param src the array
     * @param at where the encoding starts
     * @param length its length
     * @param loader the class loader that resolves classes by name
     * @return the value
     * @throws IOException as {@link #decode(byte[], ClassLoader)}
     */
    public Object decode(byte[] src, int at, int length, ClassLoader loader) throws IOException {
        if (length <= 0) {
            throw new IOException("empty message: no codec tag");
        }
        byte tag = src[at];
        switch (tag) {
            case NULL:
                return null;
            case BYTES:
                return Arrays.copyOfRange(src, at + 1, at + length);
            case STRING:
                return new String(src, at + 1, length - 1, StandardCharsets.UTF_8);
            case INT:
                checkSize(tag, length, 4);
                return (int) getLong(src, at, 4);
            case LONG:
                checkSize(tag, length, 8);
                return getLong(src, at, 8);
            case DOUBLE:
                checkSize(tag, length, 8);
                return Double.longBitsToDouble(getLong(src, at, 8));
            case BOOLEAN:
                checkSize(tag, length, 1);
                return src[at + 1] != 0;
            case OBJECT:
                return readObject(new ByteArrayInputStream(src, at + 1, length - 1), loader);
            default:
                throw new IOException("unknown codec tag: tag=" + tag + " length=" + length
                        + " (corrupt message, or a peer with another codec)");
        }
    }

    private static long getLong(byte[] src, int at, int size) {
        long value = 0;
        for (int i = 1; i <= size; i++) {
            value = (value << 8) | (src[at + i] & 0xff);
        }
        return value;
    }

    static void checkSize(byte tag, int length, int size) throws IOException {
        if (length != size + 1) {
            throw new IOException("corrupt message: tag=" + tag + " length=" + length + " expected=" + (size + 1));
        }
    }

    private static Object readObject(InputStream in, ClassLoader loader) throws IOException {
        RecordingFilter filter = new RecordingFilter(SerialFilters.current());
        try (ObjectInputStream objects = new LoaderObjectInputStream(in, loader)) {
            objects.setObjectInputFilter(filter);
            return objects.readObject();
        } catch (InvalidClassException e) {
            if (filter.refused == null) {
                throw e;
            }
            InvalidClassException named = new InvalidClassException(filter.refused, "refused by the "
                    + "deserialization filter (filter=" + filter.delegate + "); allow it with "
                    + "org.multiprocessing4j.connection.SerialFilter, -Dmp4j.serialFilter or -Djdk.serialFilter");
            named.initCause(e);
            throw named;
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(e.getMessage(), "class not found in this process: check that the "
                    + "class is on the class path of every process that receives it");
        }
    }

    private static byte[] putLong(byte tag, long value, int size) {
        byte[] out = new byte[size + 1];
        putLong(tag, value, size, out, 0);
        return out;
    }

    /** Remembers what the filter refused, so that the error can name it (the JDK's message does not). */
    private static final class RecordingFilter implements ObjectInputFilter {
        final ObjectInputFilter delegate;
        String refused;

        RecordingFilter(ObjectInputFilter delegate) {
            this.delegate = delegate;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Status status = delegate.checkInput(info);
            if (status == Status.REJECTED && refused == null) {
                Class<?> c = info.serialClass();
                refused = c != null ? c.getName() : "(a limit: depth=" + info.depth() + " references="
                        + info.references() + " arrayLength=" + info.arrayLength() + " streamBytes="
                        + info.streamBytes() + ")";
            }
            return status;
        }
    }

    /** Resolves classes through the given loader first, so user classes load in a child JVM and under Maven. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall through: primitives and arrays of them resolve below
                }
            }
            return super.resolveClass(desc);
        }
    }

}
