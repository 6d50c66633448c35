package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * A serializable lambda on the wire as plain data rather than inside an object stream: the sender takes it apart
 * through its {@code writeReplace} (the JDK's own contract), and the receiver makes it with {@link Lambdas}.
 *
 * <pre>
 * Layout: tag 'L' (1 byte: apart from every tag of JdkCodec), shape hash (int), shape length (int),
 *         shape (LambdaShape.writeTo), captured value count (1 byte), each captured value (int length, JdkCodec)
 * </pre>
 * The shape's bytes are made once per lambda class by the sender, and the receiver finds a class it has made for
 * them by comparing bytes, without decoding a string (a JVM that has just started decodes strings in its
 * interpreter, ~10 us each).
 *
 * <p>Only for what a parent sends its own children, after the hand-shake or on the child's private stdin pipe (the
 * process of a child, the tasks of a pool's workers): the receiver makes whatever lambda the shape names ({@link Lambdas}), which it may do for a
 * sender that decides what the child runs anyway, and for no other peer. Connections, queues and managers never
 * read this form.
 */
public final class LambdaForms {
    private static final byte TAG = 'L';
    private static final int MAX_SHAPE_BYTES = 1 << 20;
    private static final int MAX_VALUE_BYTES = 1 << 30;
    private static final ClassValue<Optional<LambdaClass>> CLASSES = new ClassValue<>() {
        @Override
        protected Optional<LambdaClass> computeValue(Class<?> c) {
            return Optional.ofNullable(LambdaClass.of(c));
        }
    };

    private LambdaForms() {
    }

    /**
     * Writes {@code value} as a lambda's form.
     *
     * @param value any object
     * @param out the stream
     * @return false, having written nothing, if {@code value} is not a serializable lambda whose class has no bridge
     *     methods (such a value needs an object stream)
     * @throws IOException if a captured value cannot be encoded, or the stream fails
     */
    public static boolean write(Object value, DataOutputStream out) throws IOException {
        if (value instanceof ReflectedTarget) {
            ReflectedTarget target = (ReflectedTarget) value; // a decoded target sent on, as to a grandchild
            byte[] shape = target.shape().toBytes();
            write(LambdaShape.hash(shape), shape, target.captured(), out);
            return true;
        }
        Optional<LambdaClass> lambdaClass = CLASSES.get(value.getClass());
        SerializedLambda form = lambdaClass.isPresent() ? lambdaClass.get().serializedForm(value) : null;
        if (form == null) {
            return false;
        }
        Object[] captured = new Object[form.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = form.getCapturedArg(i);
        }
        byte[] shape = lambdaClass.get().shape(form, value);
        write(lambdaClass.get().shapeHash, shape, captured, out);
        return true;
    }

    private static void write(int hash, byte[] shape, Object[] captured, DataOutputStream out) throws IOException {
        out.writeByte(TAG);
        out.writeInt(hash);
        out.writeInt(shape.length);
        out.write(shape);
        out.writeByte(captured.length);
        for (Object value : captured) {
            byte[] encoded = JdkCodec.INSTANCE.encode(value);
            out.writeInt(encoded.length);
            out.write(encoded);
        }
    }

    /**
     * @param bytes an encoding
     * @return whether it begins with a lambda's form
     */
    public static boolean isForm(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == TAG;
    }

    /**
     * Reads a lambda's form and makes the lambda.
     *
     * @param in the stream
     * @param loader the loader of the capturing class
     * @return the lambda
     * @throws IOException if the stream is corrupt, or the lambda cannot be made here ({@link Lambdas#make})
     */
    public static Object read(DataInputStream in, ClassLoader loader) throws IOException {
        return read(in, loader, false);
    }

    /**
     * Reads the form of a process's target and makes it: as {@link #read}, except that a target whose lambda class
     * this JVM has not made calls the lambda's body by reflection ({@link ReflectedTarget}), since it runs once.
     *
     * @param in the stream
     * @param loader the loader of the capturing class
     * @return the target
     * @throws IOException as {@link #read}
     */
    public static Object readTarget(DataInputStream in, ClassLoader loader) throws IOException {
        return read(in, loader, true);
    }

    private static Object read(DataInputStream in, ClassLoader loader, boolean target) throws IOException {
        readTag(in);
        int hash = in.readInt();
        byte[] shape = new byte[length(in, MAX_SHAPE_BYTES)];
        in.readFully(shape);
        Object[] captured = new Object[in.readUnsignedByte()];
        for (int i = 0; i < captured.length; i++) {
            byte[] encoded = new byte[length(in, MAX_VALUE_BYTES)];
            in.readFully(encoded);
            captured[i] = JdkCodec.INSTANCE.decode(encoded, loader);
        }
        return target ? Lambdas.makeTarget(hash, shape, captured, loader) : Lambdas.make(hash, shape, captured, loader);
    }

    /**
     * @param bytes an encoding that {@link #isForm}
     * @return a copy of its beginning up to the end of the shape, which {@link #peekShape} reads: what a holder
     *     keeps rather than the whole encoding, whose captured values may be large
     */
    public static byte[] shapePrefix(byte[] bytes) {
        int header = 1 + 4 + 4;
        if (bytes.length < header) {
            return bytes.clone();
        }
        int length = Frames.getInt(bytes, 5);
        return java.util.Arrays.copyOf(bytes, length < 0 || length > bytes.length - header ? bytes.length
                : header + length);
    }

    /**
     * @param bytes an encoding that {@link #isForm}, or its {@link #shapePrefix}
     * @return the shape of the lambda whose form it begins with
     * @throws IOException if it is corrupt
     */
    public static LambdaShape peekShape(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        readTag(in);
        in.readInt();
        byte[] shape = new byte[length(in, MAX_SHAPE_BYTES)];
        in.readFully(shape);
        return LambdaShape.fromBytes(shape);
    }

    /**
     * @param bytes an encoding that {@link #isForm}
     * @return whether a captured value of the lambda whose form it begins with went through an object stream (its
     *     receiver needs one)
     * @throws IOException if it is corrupt
     */
    public static boolean capturesStreamedValues(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        readTag(in);
        in.readInt();
        in.skipNBytes(length(in, MAX_SHAPE_BYTES));
        int captured = in.readUnsignedByte();
        for (int i = 0; i < captured; i++) {
            int length = length(in, MAX_VALUE_BYTES);
            byte[] tag = in.readNBytes(1);
            if (JdkCodec.isObjectStream(tag, 0)) {
                return true;
            }
            in.skipNBytes(length - 1);
        }
        return false;
    }

    private static void readTag(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        if (tag != TAG) {
            throw new StreamCorruptedException("not a lambda form: tag=" + tag);
        }
    }

    private static int length(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length <= 0 || length > Math.min(max, in.available())) {
            throw new StreamCorruptedException("a lambda form announces " + length + " bytes where " + in.available()
                    + " are left: corrupt stream");
        }
        return length;
    }

    /** A lambda class that can be taken apart: its {@code writeReplace}, and its shape once one value was written. */
    private static final class LambdaClass {
        private final Method writeReplace;
        private volatile byte[] shape;
        private volatile int shapeHash;

        private LambdaClass(Method writeReplace) {
            this.writeReplace = writeReplace;
        }

        static LambdaClass of(Class<?> c) {
            if (!c.isHidden() || !c.isSynthetic()) {
                return null;
            }
            try {
                if (c.getDeclaredMethods().length != 2) {
                    return null; // the interface method and writeReplace, else bridges: the JDK's way
                }
                Method m = c.getDeclaredMethod("writeReplace");
                m.setAccessible(true);
                return new LambdaClass(m);
            } catch (NoSuchMethodException | RuntimeException e) {
                return null; // not serializable, or its package is not open to this library
            }
        }

        SerializedLambda serializedForm(Object value) {
            try {
                Object form = writeReplace.invoke(value);
                return form instanceof SerializedLambda ? (SerializedLambda) form : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        /** The shape's bytes, the same for every value of the class: made at its first value. */
        byte[] shape(SerializedLambda form, Object value) {
            byte[] s = shape;
            if (s == null) {
                Class<?>[] interfaces = value.getClass().getInterfaces();
                List<String> markers = new ArrayList<>(Math.max(0, interfaces.length - 1));
                for (int i = 1; i < interfaces.length; i++) {
                    markers.add(interfaces[i].getName());
                }
                s = LambdaShape.of(form, markers).toBytes();
                shapeHash = LambdaShape.hash(s);
                shape = s;
            }
            return s;
        }
    }
}
