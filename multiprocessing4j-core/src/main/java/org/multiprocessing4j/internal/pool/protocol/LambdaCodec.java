package org.multiprocessing4j.internal.pool.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * The encoding of pool tasks and functions: a serializable lambda travels as the fields of its
 * {@link SerializedLambda} (the lambda's "recipe": capturing class, interface and implementation methods) plus its
 * captured values, each through {@link JdkCodec} (whose fast paths cover boxed numbers and strings); anything else
 * travels as one JDK object stream. For the typical task {@code () -> work(i)} this costs about a microsecond on
 * each side instead of an object stream's descriptors, handles and reflection (several microseconds warm, tens in a
 * fresh worker JVM).
 *
 * <pre>
 * Layout: tag (1 byte), then
 *   0  a JdkCodec message (the whole object)
 *   1  capturingClass, functionalInterfaceClass, functionalInterfaceMethodName, functionalInterfaceMethodSignature,
 *      implClass, implMethodName, implMethodSignature, instantiatedMethodType: each as a 2-byte length + UTF-8;
 *      implMethodKind (4 bytes); captured count (4 bytes); each captured value: 4-byte length + JdkCodec message
 * </pre>
 * Decoding calls the capturing class's {@code $deserializeLambda$}, as {@code SerializedLambda.readResolve} does,
 * so only lambdas that the capturing class itself declares serializable can be made. A class whose members this
 * module may not open (a named module that does not open its package) travels as an object stream.
 */
public final class LambdaCodec {
    private static final byte OBJECT = 0;
    private static final byte LAMBDA = 1;
    private static final Map<Class<?>, Method> WRITE_REPLACE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Method> DESERIALIZE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, byte[]> HEADERS = new ConcurrentHashMap<>();
    private static final Method NONE;

    static {
        try {
            NONE = Object.class.getMethod("toString");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        SerializedLambda lambda = recipe(value);
        if (lambda == null) {
            byte[] object = JdkCodec.INSTANCE.encode(value);
            return ByteBuffer.allocate(1 + object.length).put(OBJECT).put(object).array();
        }
        byte[] header = HEADERS.get(value.getClass());
        if (header == null) {
            header = header(lambda);
            HEADERS.put(value.getClass(), header);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length + 64);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(header);
        out.writeInt(lambda.getCapturedArgCount());
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            byte[] arg = JdkCodec.INSTANCE.encode(lambda.getCapturedArg(i));
            out.writeInt(arg.length);
            out.write(arg);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Decodes what {@link #encode} made.
     *
     * @param bytes the bytes
     * @param loader the class loader for the classes named
     * @return the object
     * @throws IOException if the bytes are corrupt, a class is missing, or the capturing class refuses the lambda
     */
    public static Object decode(byte[] bytes, ClassLoader loader) throws IOException {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("empty task encoding");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() == OBJECT) {
            return JdkCodec.INSTANCE.decode(java.util.Arrays.copyOfRange(bytes, 1, bytes.length), loader);
        }
        try {
            String capturing = utf(in);
            String fiClass = utf(in);
            String fiName = utf(in);
            String fiSig = utf(in);
            String implClass = utf(in);
            String implName = utf(in);
            String implSig = utf(in);
            String instantiated = utf(in);
            int kind = in.getInt();
            int count = in.getInt();
            if (count < 0 || count > in.remaining()) {
                throw new StreamCorruptedException("captured value count out of range: count=" + count);
            }
            Object[] captured = new Object[count];
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new StreamCorruptedException("captured value length out of range: length=" + length);
                }
                byte[] arg = new byte[length];
                in.get(arg);
                captured[i] = JdkCodec.INSTANCE.decode(arg, loader);
            }
            Class<?> capturingClass = Class.forName(capturing.replace('/', '.'), false, loader);
            SerializedLambda lambda = new SerializedLambda(capturingClass, fiClass, fiName, fiSig, kind, implClass,
                    implName, implSig, instantiated, captured);
            return deserializer(capturingClass).invoke(null, lambda);
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(e.getMessage(), "class not found in this process: check that the "
                    + "class is on the class path of every process that receives it");
        } catch (InvocationTargetException e) {
            throw new InvalidClassException(capturingName(bytes), "the capturing class refused the lambda: "
                    + e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new InvalidClassException(capturingName(bytes), "the lambda cannot be made in this process: " + e);
        }
    }

    /** Everything but the captured values: the same for every instance of a lambda class. */
    private static byte[] header(SerializedLambda lambda) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(LAMBDA);
        out.writeUTF(lambda.getCapturingClass());
        out.writeUTF(lambda.getFunctionalInterfaceClass());
        out.writeUTF(lambda.getFunctionalInterfaceMethodName());
        out.writeUTF(lambda.getFunctionalInterfaceMethodSignature());
        out.writeUTF(lambda.getImplClass());
        out.writeUTF(lambda.getImplMethodName());
        out.writeUTF(lambda.getImplMethodSignature());
        out.writeUTF(lambda.getInstantiatedMethodType());
        out.writeInt(lambda.getImplMethodKind());
        out.flush();
        return bytes.toByteArray();
    }

    private static String capturingName(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        try {
            return utf(in);
        } catch (RuntimeException | IOException e) {
            return "?";
        }
    }

    private static String utf(ByteBuffer in) throws IOException {
        int length = in.getShort() & 0xffff;
        if (length > in.remaining()) {
            throw new StreamCorruptedException("string length out of range: length=" + length);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** The lambda's recipe, or null when it is not a serializable lambda this module may look into. */
    private static SerializedLambda recipe(Object value) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (!type.isSynthetic() || !(value instanceof java.io.Serializable)) {
            return null;
        }
        Method m = WRITE_REPLACE.computeIfAbsent(type, LambdaCodec::findWriteReplace);
        if (m == NONE) {
            return null;
        }
        try {
            Object r = m.invoke(value);
            if (!(r instanceof SerializedLambda)) {
                return null;
            }
            SerializedLambda lambda = (SerializedLambda) r;
            Class<?> capturing = Class.forName(lambda.getCapturingClass().replace('/', '.'), false,
                    type.getClassLoader());
            return deserializer(capturing) == NONE ? null : lambda;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static Method findWriteReplace(Class<?> type) {
        try {
            Method m = type.getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            return NONE;
        }
    }

    private static Method deserializer(Class<?> capturing) {
        return DESERIALIZE.computeIfAbsent(capturing, c -> {
            try {
                Method m = c.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException | RuntimeException e) {
                return NONE;
            }
        });
    }
}
