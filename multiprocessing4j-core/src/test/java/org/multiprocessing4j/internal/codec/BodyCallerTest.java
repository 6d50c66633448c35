package org.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The class made to call a task's body passes every kind of value, and the body's own exceptions, unchanged. */
class BodyCallerTest {
    private static final List<Object> SEEN = new ArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    private static void everyKind(boolean z, byte b, short s, char c, int i, long j, float f, double d,
                                  String text, int[] ints, Object any) {
        SEEN.addAll(List.of(z, b, s, c, i, j, f, d, text, ints.length, any));
    }

    private static long wideResult(long a, double b) {
        SEEN.add(a);
        SEEN.add(b);
        return a;
    }

    private static void fails() throws IOException {
        throw new IOException("the body's own");
    }

    private int field = 5;

    private void onInstance(int add) {
        SEEN.add(field + add);
    }

    private interface Shape {
    }

    private static Method method(String name) {
        for (Method m : BodyCallerTest.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void everyPrimitiveAReferenceAndAnArrayArriveAsTheyWereCaptured() throws Exception {
        Object any = new Object();
        Callable<?> c = BodyCaller.of(BodyCallerTest.class, method("everyKind"), new Object[] {true, (byte) -2,
            (short) 300, 'x', 1 << 20, 1L << 40, 1.5f, -2.25, "text", new int[3], any});
        assertNotNull(c, "a class can be made for a static body of a class on the class path");
        assertNull(c.call());
        assertEquals(List.of(true, (byte) -2, (short) 300, 'x', 1 << 20, 1L << 40, 1.5f, -2.25, "text", 3, any), SEEN);
    }

    @Test
    void aResultIsDroppedWhateverItsWidth() throws Exception {
        Callable<?> c = BodyCaller.of(BodyCallerTest.class, method("wideResult"), new Object[] {7L, 0.5});
        assertNull(c.call());
        assertEquals(List.of(7L, 0.5), SEEN);
    }

    @Test
    void aPrivateInstanceBodyRunsOnTheFirstValue() throws Exception {
        BodyCallerTest receiver = new BodyCallerTest();
        receiver.field = 40;
        Callable<?> c = BodyCaller.of(BodyCallerTest.class, method("onInstance"), new Object[] {receiver, 2});
        c.call();
        assertEquals(List.of(42), SEEN);
    }

    @Test
    void theBodysExceptionComesOutAsItIs() {
        Callable<?> c = BodyCaller.of(BodyCallerTest.class, method("fails"), new Object[0]);
        IOException e = assertThrows(IOException.class, c::call);
        assertEquals("the body's own", e.getMessage());
    }

    @Test
    void twoCallersOfOneBodyKeepTheirOwnValues() throws Exception {
        Callable<?> a = BodyCaller.of(BodyCallerTest.class, method("wideResult"), new Object[] {1L, 1.0});
        Callable<?> b = BodyCaller.of(BodyCallerTest.class, method("wideResult"), new Object[] {2L, 2.0});
        b.call();
        a.call();
        assertEquals(List.of(2L, 2.0, 1L, 1.0), SEEN);
        assertTrue(a.getClass() != b.getClass() && a.getClass().isHidden(), a.getClass().getName());
    }

    @Test
    void anInterfaceGetsNoClassAndTheHandoffIsLeftEmpty() {
        assertNull(BodyCaller.of(Shape.class, method("fails"), new Object[0]));
        IllegalStateException e = assertThrows(IllegalStateException.class, Handoff::take);
        assertTrue(e.getMessage().contains("no task body"), e.getMessage());
        assertSame(null, Handoff.received());
    }
}
