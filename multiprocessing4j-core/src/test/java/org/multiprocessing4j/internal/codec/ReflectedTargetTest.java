package org.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * A process's target whose lambda class is not made in the receiving JVM is called through its body's method: the
 * same effects, exceptions and onward sending as the lambda itself, and the lambda's own way where the body is not
 * the capturing class's own method.
 */
class ReflectedTargetTest {
    private static final List<String> RAN = new ArrayList<>();

    @BeforeEach
    void clear() {
        RAN.clear();
    }

    private static void record(String s) {
        RAN.add(s);
    }

    static void staticTask() {
        record("static method reference");
    }

    private static Object sendAsTarget(SerializableRunnable lambda) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            assertTrue(LambdaForms.write(lambda, out), "a plain lambda travels as a form");
        }
        return LambdaForms.readTarget(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                ReflectedTargetTest.class.getClassLoader());
    }

    /** A serializable object whose lambda reads a field: its body is an instance method, called on the copy. */
    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String field;

        Holder(String field) {
            this.field = field;
        }

        SerializableRunnable task(int n) {
            return () -> record(field + " " + n);
        }
    }

    @Test
    void aLambdaWithCapturedValuesRunsItsBodyOnce() throws Exception {
        int n = 41;
        long big = 1L << 40;
        String word = "word";
        Object target = sendAsTarget(() -> record(word + " " + (n + 1) + " " + big));
        assertTrue(target instanceof ReflectedTarget, target.getClass().getName());
        ((SerializableRunnable) target).run();
        assertEquals(List.of("word 42 1099511627776"), RAN);
        assertTrue(target.toString().contains(ReflectedTargetTest.class.getName()), target.toString());
    }

    @Test
    void aLambdaOnAnObjectRunsOnTheObjectsCopy() throws Exception {
        Object target = sendAsTarget(new Holder("field").task(3));
        assertTrue(target instanceof ReflectedTarget, target.getClass().getName());
        ((SerializableRunnable) target).run();
        assertEquals(List.of("field 3"), RAN);
    }

    @Test
    void aStaticMethodReferenceOfTheCapturingClassIsCalledDirectly() throws Exception {
        Object target = sendAsTarget(ReflectedTargetTest::staticTask);
        assertTrue(target instanceof ReflectedTarget, target.getClass().getName());
        ((SerializableRunnable) target).run();
        assertEquals(List.of("static method reference"), RAN);
    }

    @Test
    void theTasksOwnExceptionComesOutUnwrapped() throws Exception {
        IOException thrown = new IOException("from the task");
        Object target = sendAsTarget(() -> {
            throw thrown;
        });
        IOException e = assertThrows(IOException.class, ((SerializableRunnable) target)::run);
        assertEquals("from the task", e.getMessage());
        Object error = sendAsTarget(() -> {
            throw new StackOverflowError("deep");
        });
        assertThrows(StackOverflowError.class, ((SerializableRunnable) error)::run);
    }

    @Test
    void aMethodOfAnotherClassGoesTheLambdasWay() throws Exception {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        Object target = sendAsTarget(list::clear);
        assertFalse(target instanceof ReflectedTarget, "a virtual call on another class: the lambda's own class");
        ((SerializableRunnable) target).run();
    }

    @Test
    void sentOnItTravelsAsTheLambdaItStandsFor() throws Exception {
        int n = 5;
        Object target = sendAsTarget(() -> record("onward " + n));
        assertTrue(target instanceof ReflectedTarget, target.getClass().getName());
        Object viaStream = JdkCodec.INSTANCE.decode(JdkCodec.INSTANCE.encode(target),
                ReflectedTargetTest.class.getClassLoader());
        assertFalse(viaStream instanceof ReflectedTarget, "an object stream carries the lambda itself");
        ((SerializableRunnable) viaStream).run();
        Object viaForm = sendAsTarget((SerializableRunnable) target);
        ((SerializableRunnable) viaForm).run();
        assertEquals(List.of("onward 5", "onward 5"), RAN);
        assertSame(ReflectedTarget.class, viaForm.getClass(), "a form again, since no class was made for it here");
    }
}
