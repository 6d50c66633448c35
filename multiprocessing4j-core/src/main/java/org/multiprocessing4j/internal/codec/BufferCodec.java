package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.nio.ByteOrder;
import org.multiprocessing4j.internal.memory.MappedBytes;

/**
 * {@link JdkCodec}'s encodings written into and read from a buffer in place (absolute offsets; the buffer's position
 * is not used): what a queue does in shared memory, where a value with a fast path needs no array of its own. The
 * bytes are exactly those of {@link JdkCodec#encode}.
 */
public final class BufferCodec {
    /** What {@link #decodeQuickly} returns for an encoding that needs an object stream (never a decoded value). */
    public static final Object NOT_QUICK = new Object();
    private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private BufferCodec() {
    }

    /**
     * The encoded size of a value that has a fast path and no intermediate form ({@code byte[]}, the boxed
     * primitives), so that a caller can encode it straight into shared memory with {@link #encodeInto}.
     *
     * @param value a non-null value
     * @return its encoded size, or -1 if it must go through {@link JdkCodec#encode} (a String, any other object)
     */
    public static int directSize(Object value) {
        if (value instanceof byte[]) {
            return ((byte[]) value).length + 1;
        }
        if (value instanceof Integer) {
            return 5;
        }
        if (value instanceof Long || value instanceof Double) {
            return 9;
        }
        if (value instanceof Boolean) {
            return 2;
        }
        return -1;
    }

    /**
     * Encodes a value for which {@link #directSize} is not -1 into {@code dst} at {@code at} (absolute; the
     * buffer's position is not used), exactly as {@link JdkCodec#encode} would.
     *
     * @param value the value
     * @param dst the buffer
     * @param at where the encoding starts
     */
    public static void encodeInto(Object value, MappedBytes dst, int at) {
        if (value instanceof byte[]) {
            byte[] raw = (byte[]) value;
            dst.put(at, JdkCodec.BYTES);
            dst.put(at + 1, raw, 0, raw.length);
        } else if (value instanceof Integer) {
            dst.put(at, JdkCodec.INT);
            putBigEndian(dst, at + 1, (Integer) value, 4);
        } else if (value instanceof Long) {
            dst.put(at, JdkCodec.LONG);
            putBigEndian(dst, at + 1, (Long) value, 8);
        } else if (value instanceof Double) {
            dst.put(at, JdkCodec.DOUBLE);
            putBigEndian(dst, at + 1, Double.doubleToRawLongBits((Double) value), 8);
        } else if (value instanceof Boolean) {
            dst.put(at, JdkCodec.BOOLEAN);
            dst.put(at + 1, (byte) ((Boolean) value ? 1 : 0));
        } else {
            throw new IllegalArgumentException("no direct encoding: class=" + value.getClass().getName());
        }
    }

    /** Reads a big-endian value of 4 or 8 bytes with one access (a queue reads it from shared memory). */
    private static long getBigEndian(MappedBytes src, int at, int size) {
        if (size == 4) {
            int v = src.getInt(at);
            return BIG ? v : Integer.reverseBytes(v);
        }
        long v = src.getLong(at);
        return BIG ? v : Long.reverseBytes(v);
    }

    /** Writes a big-endian value of 4 or 8 bytes with one access (a queue writes it into shared memory). */
    private static void putBigEndian(MappedBytes dst, int at, long value, int size) {
        if (size == 4) {
            dst.putInt(at, BIG ? (int) value : Integer.reverseBytes((int) value));
        } else {
            dst.putLong(at, BIG ? value : Long.reverseBytes(value));
        }
    }

    /**
     * Decodes an encoding that lies in a buffer if that is quick (null, {@code byte[]}, a boxed primitive), reading
     * its tag once: what a queue does under its take lock.
     *
     * @param src the buffer
     * @param at where the encoding starts (absolute; the buffer's position is not used)
     * @param length its length
     * @return the value, or {@link #NOT_QUICK} for any other encoding (a String, an object stream, an unknown tag:
     *     copy the bytes out and {@link JdkCodec#decode(byte[], ClassLoader)} them)
     * @throws IOException if the encoding is corrupt
     */
    public static Object decodeQuickly(MappedBytes src, int at, int length) throws IOException {
        if (length == 0) {
            throw new IOException("empty message: no codec tag");
        }
        byte tag = src.get(at);
        switch (tag) {
            case JdkCodec.NULL:
                return null;
            case JdkCodec.BYTES:
                byte[] raw = new byte[length - 1];
                src.get(at + 1, raw, 0, raw.length);
                return raw;
            case JdkCodec.INT:
                JdkCodec.checkSize(tag, length, 4);
                return (int) getBigEndian(src, at + 1, 4);
            case JdkCodec.LONG:
                JdkCodec.checkSize(tag, length, 8);
                return getBigEndian(src, at + 1, 8);
            case JdkCodec.DOUBLE:
                JdkCodec.checkSize(tag, length, 8);
                return Double.longBitsToDouble(getBigEndian(src, at + 1, 8));
            case JdkCodec.BOOLEAN:
                JdkCodec.checkSize(tag, length, 1);
                return src.get(at + 1) != 0;
            default:
                return NOT_QUICK;
        }
    }

    /**
     * Decodes an encoding that lies in a buffer (absolute offsets; the buffer's position is not used), as
     * {@link JdkCodec#decode(byte[], ClassLoader)} would, copying the bytes once at most.
     *
     * @param src the buffer
     * @param at where the encoding starts
     * @param length its length
     * @param loader the class loader that resolves classes by name
     * @return the value
     * @throws IOException as {@link JdkCodec#decode(byte[], ClassLoader)}
     */
    public static Object decode(MappedBytes src, int at, int length, ClassLoader loader) throws IOException {
        Object quick = decodeQuickly(src, at, length);
        if (quick != NOT_QUICK) {
            return quick;
        }
        byte[] all = new byte[length];
        src.get(at, all, 0, length);
        return JdkCodec.INSTANCE.decode(all, loader);
    }
}
