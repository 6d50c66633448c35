package org.multiprocessing4j.internal.pool.protocol;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * The encoding of a chunk of map items, and of a chunk's results: a list whose elements are all {@link Integer},
 * all {@link Long} or all {@link Double} (no nulls) travels as a primitive array, which costs a few nanoseconds per
 * element; any other list travels as one JDK-serialized array through {@link JdkCodec}.
 *
 * <pre>
 * Layout: tag (1 byte), count (4 bytes), then
 *   1 int[count] | 2 long[count] | 3 double[count] (raw bits) | 4 a JdkCodec message of Object[count]
 * </pre>
 */
public final class Items {
    /** The tag of a list of Integers, sent as an int[]. */
    public static final byte INTS = 1;
    /** The tag of a list of Longs, sent as a long[]. */
    public static final byte LONGS = 2;
    /** The tag of a list of Doubles, sent as the raw bits of a double[]. */
    public static final byte DOUBLES = 3;
    /** The tag of any other list, sent as a JdkCodec message of an Object[]. */
    public static final byte OBJECTS = 4;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    /** Up to this many ints are written and read byte by byte, without a ByteBuffer. */
    private static final int SMALL = 8;

    private Items() {
    }

    /**
     * Encodes a list.
     *
     * @param items the elements, nulls allowed
     * @return the bytes
     * @throws java.io.NotSerializableException if an element cannot be serialized, naming its class
     * @throws IOException if encoding fails otherwise
     */
    public static byte[] encode(List<?> items) throws IOException {
        List<?> list = items instanceof RandomAccess ? items : new ArrayList<>(items);
        int n = list.size();
        byte[] primitive = n == 0 ? null : primitives(list, n);
        if (primitive != null) {
            return primitive;
        }
        byte[] objects = JdkCodec.INSTANCE.encode(list.toArray());
        return ByteBuffer.allocate(5 + objects.length).put(OBJECTS).putInt(n).put(objects).array();
    }

    /**
     * Encodes a list whose elements are all Integer, all Long or all Double in one pass, reading each element once
     * (a lazy list, such as a range, may box a new one on every get); up to SMALL ints are written byte by byte, so
     * that a chunk of one item costs no ByteBuffer and its chain of calls, which a fresh JVM runs interpreted or
     * barely compiled for its first thousands of chunks.
     *
     * @return the bytes, or {@code null} if the elements are not all of one of those classes (or one is null)
     */
    private static byte[] primitives(List<?> items, int n) {
        Object head = items.get(0);
        if (head instanceof Integer && n <= SMALL) {
            byte[] out = new byte[5 + 4 * n];
            out[0] = INTS;
            Frames.putInt(out, 1, n);
            for (int i = 0; i < n; i++) {
                Object o = i == 0 ? head : items.get(i);
                if (!(o instanceof Integer)) {
                    return null;
                }
                Frames.putInt(out, 5 + 4 * i, (Integer) o);
            }
            return out;
        }
        if (head instanceof Integer) {
            // a VarHandle store is one instruction once compiled (a ByteBuffer's putInt took twice as long per item)
            byte[] out = new byte[5 + 4 * n];
            out[0] = INTS;
            Frames.putInt(out, 1, n);
            INT_BE.set(out, 5, (int) (Integer) head);
            for (int i = 1; i < n; i++) {
                Object o = items.get(i);
                if (!(o instanceof Integer)) {
                    return null;
                }
                INT_BE.set(out, 5 + 4 * i, (int) (Integer) o);
            }
            return out;
        }
        if (head instanceof Long || head instanceof Double) {
            Class<?> type = head.getClass();
            byte[] out = new byte[5 + 8 * n];
            out[0] = head instanceof Long ? LONGS : DOUBLES;
            Frames.putInt(out, 1, n);
            for (int i = 0; i < n; i++) {
                Object o = i == 0 ? head : items.get(i);
                if (o == null || o.getClass() != type) {
                    return null;
                }
                LONG_BE.set(out, 5 + 8 * i, o instanceof Long ? (long) (Long) o
                        : Double.doubleToRawLongBits((Double) o));
            }
            return out;
        }
        return null;
    }

    /**
     * Checks the header of a list made by {@link #encode} against the count expected, and its length against its
     * tag; the {@code read…} methods below then take the elements out.
     *
     * @param bytes the bytes
     * @param count how many elements the bytes must hold
     * @return the tag: {@link #INTS}, {@link #LONGS}, {@link #DOUBLES} or {@link #OBJECTS}
     * @throws StreamCorruptedException if the bytes are corrupt or hold another count of elements
     */
    public static byte check(byte[] bytes, int count) throws StreamCorruptedException {
        if (bytes.length < 5) {
            throw new StreamCorruptedException("item list too short: length=" + bytes.length);
        }
        byte tag = bytes[0];
        int n = Frames.getInt(bytes, 1);
        if (n != count) {
            throw new StreamCorruptedException("item list of another size than expected: count=" + n
                    + " expected=" + count);
        }
        int width = tag == INTS ? 4 : tag == LONGS || tag == DOUBLES ? 8 : 0;
        if (width == 0 && tag != OBJECTS) {
            throw new StreamCorruptedException("unknown item tag: tag=" + tag);
        }
        if (width > 0 && (long) n * width != bytes.length - 5) {
            throw new StreamCorruptedException("item count does not match the length: count=" + n + " length="
                    + bytes.length + " tag=" + tag);
        }
        return tag;
    }

    /**
     * Copies the elements of an {@link #INTS} list that {@link #check} accepted into an int array.
     *
     * @param bytes the bytes
     * @param out where the elements go
     * @param offset the index of the first
     */
    public static void readInts(byte[] bytes, int[] out, int offset) {
        int n = (bytes.length - 5) / 4;
        if (n <= SMALL) {
            // a VarHandle call runs a chain of methods while interpreted, as a fresh JVM runs small chunks
            for (int i = 0; i < n; i++) {
                out[offset + i] = Frames.getInt(bytes, 5 + 4 * i);
            }
            return;
        }
        // a bulk get of a big-endian view copies and swaps in one intrinsic, fast from the first call on (a loop of
        // VarHandle reads runs interpreted until the JIT compiles it: 10 ms per million items against under 1)
        ByteBuffer.wrap(bytes, 5, 4 * n).asIntBuffer().get(out, offset, n);
    }

    /**
     * Copies the elements of a {@link #LONGS} list that {@link #check} accepted into a long array; of a
     * {@link #DOUBLES} list, their raw bits.
     *
     * @param bytes the bytes
     * @param out where the elements go
     * @param offset the index of the first
     */
    public static void readLongs(byte[] bytes, long[] out, int offset) {
        int n = (bytes.length - 5) / 8;
        ByteBuffer.wrap(bytes, 5, 8 * n).asLongBuffer().get(out, offset, n);
    }

    /**
     * Decodes the elements of an {@link #OBJECTS} list that {@link #check} accepted.
     *
     * @param bytes the bytes
     * @param loader the class loader for the elements' classes
     * @param count how many elements it holds
     * @return a new array of them
     * @throws IOException if the bytes are corrupt or a class is missing
     */
    public static Object[] readObjects(byte[] bytes, ClassLoader loader, int count) throws IOException {
        Object decoded = JdkCodec.INSTANCE.decode(Arrays.copyOfRange(bytes, 5, bytes.length), loader);
        if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != count) {
            throw new StreamCorruptedException("item array does not match its count: count=" + count);
        }
        return (Object[]) decoded;
    }

    /**
     * Decodes a list made by {@link #encode}.
     *
     * @param bytes the bytes
     * @param loader the class loader for the elements' classes
     * @return a new mutable list
     * @throws IOException if the bytes are corrupt or a class is missing
     */
    public static List<Object> decode(byte[] bytes, ClassLoader loader) throws IOException {
        if (bytes.length < 5) {
            throw new StreamCorruptedException("item list too short: length=" + bytes.length);
        }
        if (bytes[0] == INTS && bytes.length <= 5 + 4 * SMALL) {
            int n = Frames.getInt(bytes, 1);
            if (n < 0 || 4L * n != bytes.length - 5) {
                throw new StreamCorruptedException("item count does not match the length: count=" + n + " length="
                        + bytes.length + " tag=" + INTS);
            }
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(Frames.getInt(bytes, 5 + 4 * i));
            }
            return out;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte tag = in.get();
        int n = in.getInt();
        int width = tag == INTS ? 4 : tag == LONGS || tag == DOUBLES ? 8 : 0;
        if (n < 0 || (width > 0 && (long) n * width != bytes.length - 5)) {
            throw new StreamCorruptedException("item count does not match the length: count=" + n + " length="
                    + bytes.length + " tag=" + tag);
        }
        List<Object> out = new ArrayList<>(width > 0 ? n : 16);
        switch (tag) {
            case INTS:
                for (int i = 0; i < n; i++) {
                    out.add(in.getInt());
                }
                return out;
            case LONGS:
                for (int i = 0; i < n; i++) {
                    out.add(in.getLong());
                }
                return out;
            case DOUBLES:
                for (int i = 0; i < n; i++) {
                    out.add(Double.longBitsToDouble(in.getLong()));
                }
                return out;
            case OBJECTS:
                Object decoded = JdkCodec.INSTANCE.decode(Arrays.copyOfRange(bytes, 5, bytes.length), loader);
                if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != n) {
                    throw new StreamCorruptedException("item array does not match its count: count=" + n);
                }
                return new ArrayList<>(Arrays.asList((Object[]) decoded));
            default:
                throw new StreamCorruptedException("unknown item tag: tag=" + tag);
        }
    }
}
