package org.multiprocessing4j.internal.pool.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.internal.codec.JdkCodec;

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
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte OBJECTS = 4;

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
        byte tag = tagOf(items);
        int n = items.size();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tag == OBJECTS ? 256 : 5 + n * (tag == INTS ? 4 : 8));
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(tag);
        out.writeInt(n);
        switch (tag) {
            case INTS:
                for (Object o : items) {
                    out.writeInt((Integer) o);
                }
                break;
            case LONGS:
                for (Object o : items) {
                    out.writeLong((Long) o);
                }
                break;
            case DOUBLES:
                for (Object o : items) {
                    out.writeLong(Double.doubleToRawLongBits((Double) o));
                }
                break;
            default:
                out.write(JdkCodec.INSTANCE.encode(items.toArray()));
        }
        out.flush();
        return bytes.toByteArray();
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
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte tag = in.readByte();
        int n = in.readInt();
        if (n < 0 || (tag != OBJECTS && n > bytes.length)) {
            throw new StreamCorruptedException("item count out of range: count=" + n + " length=" + bytes.length);
        }
        List<Object> out = new ArrayList<>(tag == OBJECTS ? 16 : n);
        switch (tag) {
            case INTS:
                for (int i = 0; i < n; i++) {
                    out.add(in.readInt());
                }
                return out;
            case LONGS:
                for (int i = 0; i < n; i++) {
                    out.add(in.readLong());
                }
                return out;
            case DOUBLES:
                for (int i = 0; i < n; i++) {
                    out.add(Double.longBitsToDouble(in.readLong()));
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

    private static byte tagOf(List<?> items) {
        if (items.isEmpty()) {
            return OBJECTS;
        }
        Class<?> first = items.get(0) == null ? null : items.get(0).getClass();
        if (first != Integer.class && first != Long.class && first != Double.class) {
            return OBJECTS;
        }
        for (Object o : items) {
            if (o == null || o.getClass() != first) {
                return OBJECTS;
            }
        }
        return first == Integer.class ? INTS : first == Long.class ? LONGS : DOUBLES;
    }
}
