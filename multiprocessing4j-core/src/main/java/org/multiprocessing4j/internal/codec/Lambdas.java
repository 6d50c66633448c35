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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiving side of {@link LambdaForms}: makes lambdas from their shape and captured values, for the process a
 * child is given (docs/process-lifecycle.md, "What a start costs"). The JDK sends a lambda as a
 * {@code SerializedLambda} inside an object stream, and the receiver makes its class through the capturing class's
 * {@code $deserializeLambda$}; in a JVM that has just started, the object stream alone costs ~0.8 ms of interpreted
 * code and making the class ~0.4 ms more. Here the class is made with {@link LambdaMetafactory} from a lookup on the
 * capturing class, once per shape, and then only its factory is invoked. A JVM started ahead of time is told the
 * shapes its parent sent before and makes their classes while it waits ({@link #prepare}): the capturing class is
 * loaded and linked but not initialized, so none of the user's code runs before the process arrives.
 *
 * <p>The shape is not checked against the lambdas the capturing class holds, as the JDK's way would: a child runs
 * whatever its authenticated parent sends anyway. Where no full-privilege lookup on the capturing class can be had
 * (a named module that does not open its package to this library), or anything else fails, the lambda goes the
 * JDK's way, through an object stream and {@code $deserializeLambda$}, which reports what is wrong.
 */
public final class Lambdas {
    private static final Map<Key, Optional<Factory>> FACTORIES = new ConcurrentHashMap<>();

    private Lambdas() {
    }

    /**
     * Makes a lambda of the shape whose bytes are {@code shape} that captures {@code captured}.
     *
     * @param hash the shape's hash, as its sender computed it
     * @param shape the shape's bytes
     * @param captured its captured values
     * @param loader the loader of the capturing class
     * @return the lambda
     * @throws IOException if the shape is corrupt, the values do not fit it, or the JDK's way refuses it (a class that
     *     is not on this JVM's class path among them)
     */
    static Object make(int hash, byte[] shape, Object[] captured, ClassLoader loader) throws IOException {
        Key key = new Key(hash, shape, loader);
        Optional<Factory> factory = FACTORIES.get(key);
        LambdaShape parsed = null;
        if (factory == null) {
            parsed = LambdaShape.fromBytes(shape);
            factory = factory(key, parsed);
        }
        if (factory.isPresent()) {
            try {
                return factory.get().make(captured);
            } catch (Throwable t) {
                InvalidObjectException e = new InvalidObjectException("the values captured by a lambda do not fit "
                        + "its shape (" + LambdaShape.fromBytes(shape) + "): " + t);
                e.initCause(t);
                throw e;
            }
        }
        return viaObjectStream(parsed != null ? parsed : LambdaShape.fromBytes(shape), captured, loader);
    }

    /**
     * Makes a process's target: with the class made for its shape if there is one (a JVM started ahead of time makes
     * the classes of the shapes it is told), else as a {@link ReflectedTarget} where the shape allows one, else as
     * {@link #make} does.
     *
     * @param hash the shape's hash, as its sender computed it
     * @param shape the shape's bytes
     * @param captured its captured values
     * @param loader the loader of the capturing class
     * @return the target
     * @throws IOException as {@link #make}
     */
    static Object makeTarget(int hash, byte[] shape, Object[] captured, ClassLoader loader) throws IOException {
        if (FACTORIES.get(new Key(hash, shape, loader)) == null) {
            Object target = ReflectedTarget.of(LambdaShape.fromBytes(shape), captured, loader);
            if (target != null) {
                return target;
            }
        }
        return make(hash, shape, captured, loader);
    }

    private static Object viaObjectStream(LambdaShape shape, Object[] captured, ClassLoader loader)
            throws IOException {
        Class<?> capturing;
        try {
            capturing = Class.forName(binaryName(shape.capturingClass()), false, loader);
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(e.getMessage(), "class not found in this process: check that the "
                    + "class is on the class path of every process that receives it");
        }
        if (captured.length != shape.captured()) {
            throw new InvalidObjectException("a lambda form carries " + captured.length + " captured values where "
                    + "its shape has " + shape.captured() + ": corrupt stream");
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
        byte[] bytes = shape.toBytes();
        Optional<Factory> factory = factory(new Key(LambdaShape.hash(bytes), bytes, loader), shape);
        if (factory.isEmpty()) {
            return;
        }
        try {
            factory.get().make(factory.get().defaults());
        } catch (Throwable t) {
            // only an optimization
        }
    }

    private static Optional<Factory> factory(Key key, LambdaShape shape) {
        Optional<Factory> factory = FACTORIES.get(key);
        if (factory == null) {
            factory = Optional.ofNullable(spin(shape, key.loader));
            FACTORIES.putIfAbsent(key, factory);
        }
        return factory;
    }

    private static Factory spin(LambdaShape shape, ClassLoader loader) {
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
            return new Factory(site.getTarget());
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

    /**
     * A lambda class's factory, taking the captured values as one array: invoked exactly, which in a JVM that has just
     * started costs a fraction of {@code invokeWithArguments} (~70 us there).
     */
    private static final class Factory {
        private final MethodHandle spread;
        private final List<Class<?>> types;

        Factory(MethodHandle factory) {
            this.types = factory.type().parameterList();
            this.spread = factory.asSpreader(Object[].class, types.size())
                    .asType(MethodType.methodType(Object.class, Object[].class));
        }

        Object make(Object[] captured) throws Throwable {
            return (Object) spread.invokeExact(captured);
        }

        /** @return default values of the captured types: zero for a primitive, else null */
        Object[] defaults() {
            Object[] defaults = new Object[types.size()];
            for (int i = 0; i < defaults.length; i++) {
                Class<?> t = types.get(i);
                defaults[i] = t.isPrimitive() ? Array.get(Array.newInstance(t, 1), 0) : null;
            }
            return defaults;
        }
    }

    /**
     * A factory per shape and class loader, found by the shape's bytes and the hash its sender sent (a forged hash
     * only misses). Not a record: a record's first equals costs ~2 ms in a JVM that has just started.
     */
    private static final class Key {
        private final int hash;
        private final byte[] shape;
        private final ClassLoader loader;

        Key(int hash, byte[] shape, ClassLoader loader) {
            this.hash = hash;
            this.shape = shape;
            this.loader = loader;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return k.hash == hash && k.loader == loader && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
