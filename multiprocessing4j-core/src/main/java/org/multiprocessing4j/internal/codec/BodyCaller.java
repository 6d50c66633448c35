package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Calls a task's body through a small class made for it, a hidden nestmate of the capturing class whose
 * {@code call()} unboxes the captured values and calls the body: for JVMs whose core reflection is built on method
 * handles (JDK 18 on), where a fresh JVM's first reflective call costs ~6 ms and defining such a class ~0.4 ms
 * (measured on JDK 25). The class hands its one instance over in its static initializer ({@link Handoff}), so no
 * constructor is called by reflection or through a method handle either.
 *
 * <pre>
 * The class, for a body m(P1..Pn) of the capturing class C (class file version 61, no branches, so no stack map):
 *   final class C$$mp4jTask implements java.util.concurrent.Callable {
 *     private final Object[] a;
 *     C$$mp4jTask(Object[] a) { super(); this.a = a; }
 *     static { Handoff.give(new C$$mp4jTask(Handoff.take())); }
 *     public Object call() { C.m((P1) a[0], ..., (Pn) a[n-1]); return null; }   // unboxing a primitive Pi
 *   }
 * For a private instance body, a[0] is the receiver: ((C) a[0]).m(a[1], ...), an invokevirtual that a nestmate may
 * make. A result of the body is dropped, as the lambda drops it.
 * </pre>
 *
 * Where the class cannot be made (the capturing class is an interface or in a module closed to this library, the
 * library's classes are not visible to its loader), {@link #of} returns null and the caller calls the body by
 * reflection.
 */
final class BodyCaller {
    private static final String HANDOFF = "org/multiprocessing4j/internal/codec/Handoff";

    private BodyCaller() {
    }

    /**
     * @param capturing the class that declares {@code body}
     * @param body the task's body, static or a private instance method
     * @param values the receiver (for an instance body) then the arguments, already checked to fit
     * @return a callable that calls {@code body} with {@code values}, or null where none can be made
     */
    static Callable<?> of(Class<?> capturing, Method body, Object[] values) {
        if (capturing.isInterface() || capturing.isHidden() || capturing.isArray() || capturing.isPrimitive()) {
            return null;
        }
        try {
            byte[] bytes = classFile(capturing, body);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup());
            synchronized (Handoff.class) {
                Handoff.offer(values);
                try {
                    lookup.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
                    return (Callable<?>) Handoff.received();
                } finally {
                    Handoff.clear();
                }
            }
        } catch (IllegalAccessException | LinkageError | RuntimeException | IOException e) {
            return null;
        }
    }

    private static byte[] classFile(Class<?> capturing, Method body) throws IOException {
        String owner = internalName(capturing);
        String self = owner.concat("$$mp4jTask"); // no '+': a string concatenation's first run costs the invoke machinery
        Pool cp = new Pool();
        int thisClass = cp.type(self);
        int objectClass = cp.type("java/lang/Object");
        int callable = cp.type("java/util/concurrent/Callable");
        int field = cp.member(9, self, "a", "[Ljava/lang/Object;");
        int objectInit = cp.member(10, "java/lang/Object", "<init>", "()V");
        int selfInit = cp.member(10, self, "<init>", "([Ljava/lang/Object;)V");
        int take = cp.member(10, HANDOFF, "take", "()[Ljava/lang/Object;");
        int give = cp.member(10, HANDOFF, "give", "(Ljava/lang/Object;)V");
        int bodyRef = cp.member(10, owner, body.getName(), ReflectedTarget.descriptorOf(body));
        boolean isStatic = Modifier.isStatic(body.getModifiers());

        ByteArrayOutputStream call = new ByteArrayOutputStream();
        int slots = 0;
        int index = 0;
        if (!isStatic) {
            load(call, field, index++);
            call.write(0xC0); // checkcast
            u2(call, cp.type(owner));
            slots++;
        }
        for (Class<?> p : body.getParameterTypes()) {
            load(call, field, index++);
            if (p.isPrimitive()) {
                String box = internalName(ReflectedTarget.boxOf(p));
                call.write(0xC0); // checkcast
                u2(call, cp.type(box));
                call.write(0xB6); // invokevirtual box.xValue()
                u2(call, cp.member(10, box, p.getName().concat("Value"), "()".concat(p.descriptorString())));
                slots += p == long.class || p == double.class ? 2 : 1;
            } else {
                if (p != Object.class) {
                    call.write(0xC0); // checkcast
                    u2(call, cp.type(p.isArray() ? p.descriptorString() : internalName(p)));
                }
                slots++;
            }
        }
        call.write(isStatic ? 0xB8 : 0xB6); // invokestatic / invokevirtual
        u2(call, bodyRef);
        Class<?> result = body.getReturnType();
        if (result != void.class) {
            call.write(result == long.class || result == double.class ? 0x58 : 0x57); // pop2 / pop
        }
        call.write(0x01); // aconst_null
        call.write(0xB0); // areturn

        byte[] init = {
            0x2A, (byte) 0xB7, hi(objectInit), lo(objectInit), // aload_0; invokespecial Object.<init>
            0x2A, 0x2B, (byte) 0xB5, hi(field), lo(field), // aload_0; aload_1; putfield a
            (byte) 0xB1 // return
        };
        byte[] clinit = {
            (byte) 0xBB, hi(thisClass), lo(thisClass), 0x59, // new; dup
            (byte) 0xB8, hi(take), lo(take), // invokestatic Handoff.take
            (byte) 0xB7, hi(selfInit), lo(selfInit), // invokespecial <init>
            (byte) 0xB8, hi(give), lo(give), // invokestatic Handoff.give
            (byte) 0xB1 // return
        };
        int code = cp.utf8("Code");
        int[] names = {cp.utf8("<init>"), cp.utf8("<clinit>"), cp.utf8("call")};
        int[] descriptors = {cp.utf8("([Ljava/lang/Object;)V"), cp.utf8("()V"), cp.utf8("()Ljava/lang/Object;")};
        int fieldName = cp.utf8("a");
        int fieldDescriptor = cp.utf8("[Ljava/lang/Object;");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(61);
        cp.writeTo(out);
        out.writeShort(0x0010 | 0x0020); // ACC_FINAL | ACC_SUPER
        out.writeShort(thisClass);
        out.writeShort(objectClass);
        out.writeShort(1);
        out.writeShort(callable);
        out.writeShort(1);
        out.writeShort(0x0002 | 0x0010); // private final
        out.writeShort(fieldName);
        out.writeShort(fieldDescriptor);
        out.writeShort(0);
        out.writeShort(3);
        method(out, 0, names[0], descriptors[0], code, 2, 2, init);
        method(out, 0x0008, names[1], descriptors[1], code, 3, 0, clinit);
        // each value: this, the array, the index on the stack at once at most, above the values already pushed
        method(out, 0x0001, names[2], descriptors[2], code, slots + 3, 1, call.toByteArray());
        out.writeShort(0);
        out.flush();
        return bytes.toByteArray();
    }

    /** aload_0; getfield a; the index; aaload. */
    private static void load(ByteArrayOutputStream code, int field, int index) {
        code.write(0x2A);
        code.write(0xB4);
        u2(code, field);
        if (index <= 5) {
            code.write(0x03 + index); // iconst_<n>
        } else if (index <= 127) {
            code.write(0x10); // bipush
            code.write(index);
        } else {
            code.write(0x11); // sipush
            u2(code, index);
        }
        code.write(0x32); // aaload
    }

    private static void method(DataOutputStream out, int access, int name, int descriptor, int codeName,
                               int maxStack, int maxLocals, byte[] code) throws IOException {
        out.writeShort(access);
        out.writeShort(name);
        out.writeShort(descriptor);
        out.writeShort(1);
        out.writeShort(codeName);
        out.writeInt(2 + 2 + 4 + code.length + 2 + 2);
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(code.length);
        out.write(code);
        out.writeShort(0);
        out.writeShort(0);
    }

    private static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    private static void u2(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static byte hi(int v) {
        return (byte) (v >>> 8);
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    /** A class file's constant pool, each entry once. */
    private static final class Pool {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);
        private final Map<String, Integer> entries = new HashMap<>();
        private int count = 1;

        int utf8(String s) {
            return entry(key("1", s, "", ""), 1, s, 0, 0);
        }

        int type(String internalName) {
            return entry(key("7", internalName, "", ""), 7, null, utf8(internalName), 0);
        }

        /** A field (tag 9) or method (tag 10) reference. */
        int member(int tag, String owner, String name, String descriptor) {
            int nameAndType = entry(key("12", "", name, descriptor), 12, null, utf8(name), utf8(descriptor));
            return entry(key(tag == 9 ? "9" : "10", owner, name, descriptor), tag, null, type(owner), nameAndType);
        }

        private static String key(String tag, String owner, String name, String descriptor) {
            return new StringBuilder(tag.length() + owner.length() + name.length() + descriptor.length() + 3)
                    .append(tag).append(':').append(owner).append(' ').append(name).append(' ').append(descriptor)
                    .toString();
        }

        private int entry(String key, int tag, String text, int first, int second) {
            Integer known = entries.get(key);
            if (known != null) {
                return known;
            }
            try {
                out.writeByte(tag);
                if (text != null) {
                    out.writeUTF(text);
                } else {
                    out.writeShort(first);
                    if (tag != 7) {
                        out.writeShort(second);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("in-memory stream failed", e);
            }
            entries.put(key, count);
            return count++;
        }

        void writeTo(DataOutputStream to) throws IOException {
            out.flush();
            to.writeShort(count);
            bytes.writeTo(to);
        }
    }
}
