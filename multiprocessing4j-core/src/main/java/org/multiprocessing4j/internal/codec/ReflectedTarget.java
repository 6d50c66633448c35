package org.multiprocessing4j.internal.codec;

import java.io.ObjectStreamException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.reflect.Array;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.Callable;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * The target of a process whose lambda class was not made in this JVM: it calls the lambda's body, the method its
 * shape names, through core reflection instead of making a lambda class first. A child JVM runs its target once,
 * and making the class is what a fresh JVM's first lambda costs most (~7 ms of {@code LambdaMetafactory} and the
 * invoke machinery on JDK 17, measured, against ~0.1 ms for looking up and calling the method): so a spawned child
 * reaches the task's first line that much sooner, and the task pays for the invoke machinery only if it uses it.
 * From JDK 18 on, core reflection is itself built on method handles (a fresh JVM's first call cost ~6 ms on JDK 25),
 * so there the body is called through a small class made for it ({@link BodyCaller}, ~0.4 ms), and by reflection
 * only where that class cannot be made.
 *
 * <p>Taken only for a {@code SerializableRunnable} whose body is a static method, or a private method of the
 * capturing class called on the first captured value: the calls a lambda makes itself (a virtual method
 * reference, a constructor reference, a class in a module closed to this library go the lambda's way). Sent on,
 * it is sent as the lambda it stands for ({@link #writeReplace}).
 */
final class ReflectedTarget implements SerializableRunnable {
    private static final long serialVersionUID = 1L;
    private static final String RUNNABLE = "org/multiprocessing4j/function/SerializableRunnable";

    /** From JDK 18 on, where core reflection is built on method handles: a class made to call the body. */
    private static final boolean MAKE_CALLERS = Runtime.version().feature() >= 18;

    private final transient Method body;
    private final transient Callable<?> caller;
    private final transient Object receiver;
    private final transient Object[] arguments;
    private final transient LambdaShape shape;
    private final transient Class<?> capturing;
    private final transient Object[] captured;

    private ReflectedTarget(Method body, Callable<?> caller, Object receiver, Object[] arguments, LambdaShape shape,
                            Class<?> capturing, Object[] captured) {
        this.body = body;
        this.caller = caller;
        this.receiver = receiver;
        this.arguments = arguments;
        this.shape = shape;
        this.capturing = capturing;
        this.captured = captured;
    }

    /**
     * @param shape the lambda's shape
     * @param captured its captured values
     * @param loader the loader of its capturing class
     * @return a target that calls the lambda's body, or null where the lambda's own class must be made
     */
    static SerializableRunnable of(LambdaShape shape, Object[] captured, ClassLoader loader) {
        if (!RUNNABLE.equals(shape.interfaceClass()) || !"run".equals(shape.interfaceMethod())
                || !"()V".equals(shape.instantiatedSignature()) || !shape.markers().isEmpty()
                || captured.length != shape.captured()) {
            return null;
        }
        int kind = shape.implKind();
        boolean isStatic = kind == MethodHandleInfo.REF_invokeStatic;
        if (!isStatic && kind != MethodHandleInfo.REF_invokeSpecial && kind != MethodHandleInfo.REF_invokeVirtual) {
            return null;
        }
        try {
            Class<?> capturing = Class.forName(shape.capturingClass().replace('/', '.'), false, loader);
            if (!shape.implClass().equals(shape.capturingClass())) {
                return null;
            }
            Method body = find(capturing, shape.implName(), shape.implSignature());
            if (body == null || Modifier.isStatic(body.getModifiers()) != isStatic
                    || (!isStatic && (!Modifier.isPrivate(body.getModifiers()) || captured.length == 0))) {
                return null;
            }
            Object receiver = isStatic ? null : captured[0];
            Object[] arguments = new Object[captured.length - (isStatic ? 0 : 1)];
            System.arraycopy(captured, isStatic ? 0 : 1, arguments, 0, arguments.length);
            if (!fits(body.getParameterTypes(), arguments) || (!isStatic && !capturing.isInstance(receiver))) {
                return null; // the lambda's way reports what does not fit
            }
            Callable<?> caller = MAKE_CALLERS ? BodyCaller.of(capturing, body, captured.clone()) : null;
            if (caller == null) {
                body.setAccessible(true);
            }
            return new ReflectedTarget(body, caller, receiver, arguments, shape, capturing, captured.clone());
        } catch (ClassNotFoundException | LinkageError | InaccessibleObjectException | SecurityException e) {
            return null;
        }
    }

    /** The declared method of that name and descriptor, compared without building a string per method. */
    private static Method find(Class<?> c, String name, String descriptor) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && descriptor.equals(descriptorOf(m))) {
                return m;
            }
        }
        return null;
    }

    /** @return the method's descriptor, as a class file and a lambda's shape name it */
    static String descriptorOf(Method m) {
        // a StringBuilder, not '+': a string concatenation's first run initializes the invoke machinery
        StringBuilder b = new StringBuilder(64).append('(');
        for (Class<?> p : m.getParameterTypes()) {
            b.append(p.descriptorString());
        }
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }

    private static boolean fits(Class<?>[] types, Object[] values) {
        if (types.length != values.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            Object v = values[i];
            if (t.isPrimitive() ? v == null || !boxOf(t).isInstance(v) : v != null && !t.isInstance(v)) {
                return false;
            }
        }
        return true;
    }

    /** @return the wrapper class of a primitive type (the class of its default value, boxed) */
    static Class<?> boxOf(Class<?> primitive) {
        return Array.get(Array.newInstance(primitive, 1), 0).getClass();
    }

    /** @return the shape of the lambda this target stands for */
    LambdaShape shape() {
        return shape;
    }

    /** @return the values the lambda captured */
    Object[] captured() {
        return captured.clone();
    }

    @Override
    public void run() throws Exception {
        if (caller != null) {
            caller.call();
            return;
        }
        try {
            body.invoke(receiver, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call the task's body " + body + " (made accessible before)", e);
        }
    }

    /**
     * @return the lambda this target stands for, in its serialized form
     * @throws ObjectStreamException never
     */
    private Object writeReplace() throws ObjectStreamException {
        return shape.withValues(capturing, captured);
    }

    @Override
    public String toString() {
        return new StringBuilder(64).append(capturing.getName()).append("$$Lambda(").append(body.getName())
                .append(')').toString();
    }
}
