package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.StreamCorruptedException;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializable lambdas as plain data, for the process a child is given (docs/process-lifecycle.md, "What a start
 * costs"). The JDK sends a lambda as a {@code SerializedLambda} inside an object stream, and the receiver makes its
 * class through the capturing class's {@code $deserializeLambda$}; in a JVM that has just started, the object
 * stream alone costs ~0.8 ms of interpreted code and making the class ~0.4 ms more. Here the sender takes the
 * lambda's serialized form apart ({@link #serializedForm}, {@link LambdaShape}), and the receiver makes the class
 * with {@link LambdaMetafactory} from a lookup on the capturing class, once per shape, and then only invokes its
 * factory. A JVM started ahead of time is told the shapes its parent sent before and makes their classes while it
 * waits ({@link #prepare}): the capturing class is loaded and linked but not initialized, so none of the user's
 * code runs before the process arrives.
 *
 * <p>The receiver trusts the shape as the JDK's way would not check it against the lambdas the capturing class
 * holds: a child runs whatever its authenticated parent sends anyway. Where no full-privilege lookup on the capturing
 * class can be had (a named module that does not open its package to this library), or anything else fails, the
 * lambda goes the JDK's way, through an object stream and {@code $deserializeLambda$}.
 */
public final class Lambdas {
    /** The private {@code writeReplace} of a lambda class without bridges, or empty for any other class. */
    private static final ClassValue<Optional<Method>> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> c) {
            if (!c.isHidden() || !c.isSynthetic()) {
                return Optional.empty();
            }
            try {
                if (c.getDeclaredMethods().length != 2) {
                    return Optional.empty(); // the interface method and writeReplace, else bridges: the JDK's way
                }
                Method m = c.getDeclaredMethod("writeReplace");
                m.setAccessible(true);
                return Optional.of(m);
            } catch (NoSuchMethodException | RuntimeException e) {
                return Optional.empty(); // not serializable, or its package is not open to this library
            }
        }
    };
    private static final Map<Key, Optional<MethodHandle>> FACTORIES = new ConcurrentHashMap<>();
    /** The first byte of a lambda's form: apart from every tag of {@link JdkCodec}. */
    private static final byte TAG = 'L';
    private static final int MAX_VALUE_BYTES = 1 << 30;

    private Lambdas() {
    }

    /**
     * @param value any object
     * @return the serialized form of {@code value} if it is a serializable lambda whose class has no bridge methods,
     *     else null
     */
    public static SerializedLambda serializedForm(Object value) {
        Optional<Method> writeReplace = WRITE_REPLACE.get(value.getClass());
        if (writeReplace.isEmpty()) {
            return null;
        }
        try {
            Object form = writeReplace.get().invoke(value);
            return form instanceof SerializedLambda ? (SerializedLambda) form : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param lambda a lambda
     * @return the binary names of the interfaces of its class after the first (an intersection cast's markers)
     */
    public static List<String> markers(Object lambda) {
        Class<?>[] interfaces = lambda.getClass().getInterfaces();
        List<String> names = new ArrayList<>(Math.max(0, interfaces.length - 1));
        for (int i = 1; i < interfaces.length; i++) {
            names.add(interfaces[i].getName());
        }
        return names;
    }

    /**
     * Writes {@code value} as a lambda's form: a tag, its shape, and each captured value as {@link JdkCodec} encodes
     * it (length first).
     *
     * @param value any object
     * @param out the stream
     * @return false, having written nothing, if {@code value} is not a lambda that {@link #serializedForm} takes apart
     * @throws IOException if a captured value cannot be encoded, or the stream fails
     */
    public static boolean write(Object value, DataOutputStream out) throws IOException {
        SerializedLambda form = serializedForm(value);
        if (form == null) {
            return false;
        }
        out.writeByte(TAG);
        LambdaShape.of(form, markers(value)).writeTo(out);
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            byte[] encoded = JdkCodec.INSTANCE.encode(form.getCapturedArg(i));
            out.writeInt(encoded.length);
            out.write(encoded);
        }
        return true;
    }

    /**
     * @param bytes an encoding
     * @return whether it begins with a lambda's form that {@link #write} wrote
     */
    public static boolean isForm(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == TAG;
    }

    /**
     * Reads a lambda's form that {@link #write} wrote, and makes the lambda.
     *
     * @param in the stream
     * @param loader the loader of the capturing class
     * @return the lambda
     * @throws IOException if the stream is corrupt, or as {@link #make}
     */
    public static Object read(DataInputStream in, ClassLoader loader) throws IOException {
        LambdaShape shape = readShape(in);
        Object[] captured = new Object[shape.captured()];
        for (int i = 0; i < captured.length; i++) {
            int length = in.readInt();
            if (length <= 0 || length > Math.min(MAX_VALUE_BYTES, in.available())) {
                throw new StreamCorruptedException("captured value of " + length + " bytes, " + in.available()
                        + " left: corrupt lambda form");
            }
            byte[] encoded = new byte[length];
            in.readFully(encoded);
            captured[i] = JdkCodec.INSTANCE.decode(encoded, loader);
        }
        return make(shape, captured, loader);
    }

    /**
     * @param bytes an encoding that {@link #isForm}
     * @return the shape of the lambda whose form it begins with
     * @throws IOException if it is corrupt
     */
    public static LambdaShape peekShape(byte[] bytes) throws IOException {
        return readShape(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static LambdaShape readShape(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        if (tag != TAG) {
            throw new StreamCorruptedException("not a lambda form: tag=" + tag);
        }
        return LambdaShape.readFrom(in);
    }

    /**
     * Makes a lambda of {@code shape} that captures {@code captured}.
     *
     * @param shape the lambda's shape
     * @param captured its captured values
     * @param loader the loader of the capturing class
     * @return the lambda
     * @throws IOException if the values do not fit the shape, or the JDK's way refuses it (a class that is not on
     *     this JVM's class path among them)
     */
    public static Object make(LambdaShape shape, Object[] captured, ClassLoader loader) throws IOException {
        Optional<MethodHandle> factory = factory(shape, loader);
        if (factory.isPresent()) {
            try {
                return factory.get().invokeWithArguments(captured);
            } catch (Throwable t) {
                InvalidObjectException e = new InvalidObjectException("the values captured by a lambda of "
                        + shape.capturingClass() + " (" + shape.implName() + ") do not fit it: " + t);
                e.initCause(t);
                throw e;
            }
        }
        Class<?> capturing;
        try {
            capturing = Class.forName(binaryName(shape.capturingClass()), false, loader);
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(e.getMessage(), "class not found in this process: check that the "
                    + "class is on the class path of every process that receives it");
        }
        return JdkCodec.INSTANCE.decode(JdkCodec.INSTANCE.encode(shape.withValues(capturing, captured)), loader);
    }

    /**
     * Makes the class of {@code shape}'s lambdas ahead of time, and one lambda of it with default values, so that
     * {@link #make} later only invokes its factory. Loads and links the capturing class without initializing it.
     * Ignores every failure: this is an optimization, and {@link #make} reports the real error.
     *
     * @param shape the shape
     * @param loader the loader of the capturing class
     */
    public static void prepare(LambdaShape shape, ClassLoader loader) {
        Optional<MethodHandle> factory = factory(shape, loader);
        if (factory.isEmpty()) {
            return;
        }
        List<Class<?>> types = factory.get().type().parameterList();
        Object[] defaults = new Object[types.size()];
        for (int i = 0; i < defaults.length; i++) {
            Class<?> t = types.get(i);
            defaults[i] = t.isPrimitive() ? Array.get(Array.newInstance(t, 1), 0) : null;
        }
        try {
            factory.get().invokeWithArguments(defaults);
        } catch (Throwable t) {
            // only an optimization
        }
    }

    private static Optional<MethodHandle> factory(LambdaShape shape, ClassLoader loader) {
        Key key = new Key(shape, loader);
        Optional<MethodHandle> factory = FACTORIES.get(key);
        if (factory == null) {
            factory = Optional.ofNullable(spin(shape, loader));
            FACTORIES.putIfAbsent(key, factory);
        }
        return factory;
    }

    private static MethodHandle spin(LambdaShape shape, ClassLoader loader) {
        try {
            Class<?> capturing = Class.forName(binaryName(shape.capturingClass()), false, loader);
            MethodHandles.Lookup caller = fullPrivilegeLookup(capturing);
            if (caller == null) {
                return null;
            }
            ClassLoader cl = capturing.getClassLoader();
            Class<?> iface = Class.forName(binaryName(shape.interfaceClass()), false, cl);
            Class<?> impl = Class.forName(binaryName(shape.implClass()), false, cl);
            MethodType implType = MethodType.fromMethodDescriptorString(shape.implSignature(), cl);
            int n = shape.captured();
            MethodHandle implHandle;
            List<Class<?>> capturedTypes = new ArrayList<>(n);
            switch (shape.implKind()) {
                case MethodHandleInfo.REF_invokeStatic:
                case MethodHandleInfo.REF_newInvokeSpecial:
                    implHandle = shape.implKind() == MethodHandleInfo.REF_invokeStatic
                            ? caller.findStatic(impl, shape.implName(), implType)
                            : caller.findConstructor(impl, implType);
                    capturedTypes.addAll(implType.parameterList().subList(0, n));
                    break;
                case MethodHandleInfo.REF_invokeVirtual:
                case MethodHandleInfo.REF_invokeInterface:
                case MethodHandleInfo.REF_invokeSpecial:
                    implHandle = shape.implKind() == MethodHandleInfo.REF_invokeSpecial
                            ? caller.findSpecial(impl, shape.implName(), implType, capturing)
                            : caller.findVirtual(impl, shape.implName(), implType);
                    if (n > 0) {
                        capturedTypes.add(impl);
                        capturedTypes.addAll(implType.parameterList().subList(0, n - 1));
                    }
                    break;
                default:
                    return null;
            }
            List<Object> args = new ArrayList<>(List.of(
                    MethodType.fromMethodDescriptorString(shape.interfaceSignature(), cl), implHandle,
                    MethodType.fromMethodDescriptorString(shape.instantiatedSignature(), cl)));
            if (shape.markers().isEmpty()) {
                args.add(LambdaMetafactory.FLAG_SERIALIZABLE);
            } else {
                args.add(LambdaMetafactory.FLAG_SERIALIZABLE | LambdaMetafactory.FLAG_MARKERS);
                args.add(shape.markers().size());
                for (String m : shape.markers()) {
                    args.add(Class.forName(m, false, cl));
                }
            }
            CallSite site = LambdaMetafactory.altMetafactory(caller, shape.interfaceMethod(),
                    MethodType.methodType(iface, capturedTypes), args.toArray());
            return site.getTarget();
        } catch (ReflectiveOperationException | LambdaConversionException | RuntimeException | LinkageError e) {
            return null; // the JDK's way, which reports what is wrong
        }
    }

    /**
     * @return a lookup on {@code c} with full privilege (what {@link LambdaMetafactory} requires), or null: there is
     *     one when {@code c} is in this library's module (the class path's unnamed module, usually)
     */
    private static MethodHandles.Lookup fullPrivilegeLookup(Class<?> c) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            return lookup.hasFullPrivilegeAccess() ? lookup : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    /** A factory per shape and class loader (equals and hashCode by hand, as {@link LambdaShape} says why). */
    private static final class Key {
        private final LambdaShape shape;
        private final ClassLoader loader;

        Key(LambdaShape shape, ClassLoader loader) {
            this.shape = shape;
            this.loader = loader;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).shape.equals(shape) && ((Key) o).loader == loader;
        }

        @Override
        public int hashCode() {
            return shape.hashCode() * 31 + System.identityHashCode(loader);
        }
    }
}
