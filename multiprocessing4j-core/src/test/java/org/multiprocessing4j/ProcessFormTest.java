package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.codec.LambdaShape;
import org.multiprocessing4j.internal.codec.Lambdas;

/**
 * ProcessForm and Lambdas within one JVM: a plain process with a lambda target travels as plain data and comes back
 * whole (name, flags, key, identity, captured values); anything else takes the object stream; a prepared lambda
 * class runs none of the user's code; a corrupt form is an IOException. The start path across JVMs is covered by
 * every test that starts a process, and by ReadyLambdaTest.
 */
class ProcessFormTest {
    static final List<String> RAN = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void clear() {
        RAN.clear();
    }

    private static ChildProcess roundTrip(ChildProcess p, boolean asForm) throws IOException {
        byte[] encoded = ProcessAccess.get().encode(p);
        assertEquals(asForm, LambdaForms.isForm(encoded), "travels as a process form");
        ChildProcess back = ProcessAccess.get().decode(encoded, ProcessFormTest.class.getClassLoader());
        assertEquals(p.name(), back.name());
        assertEquals(p.isDaemon(), back.isDaemon());
        assertArrayEquals(p.authKey(), back.authKey());
        assertArrayEquals(p.identity(), back.identity());
        assertEquals(p.creatorPid(), back.creatorPid());
        assertEquals(p.jvmOptions(), back.jvmOptions());
        return back;
    }

    static void record(String s) {
        RAN.add(s);
    }

    @Test
    void aLambdaCapturingValuesOfEveryKindComesBackWithThem() throws Exception {
        String text = "héllo";
        int n = 42;
        long[] array = {1, 2, 3}; // no fast path: an object stream for this value alone
        String none = null;
        ChildProcess p = new ChildProcess(() -> record(text + n + Arrays.toString(array) + none), "formed");
        p.setDaemon(true);
        p.setJvmOptions("-Xmx64m", "-Dx=y");
        roundTrip(p, true).run();
        assertEquals(List.of("héllo42[1, 2, 3]null"), RAN);
    }

    @Test
    void methodReferencesAndIntersectionCastsKeepTheirMeaning() throws Exception {
        roundTrip(new ChildProcess(ProcessFormTest::staticTask), true).run();
        SerializableRunnable marked = (SerializableRunnable & Cloneable) () -> record("marked");
        ChildProcess back = roundTrip(new ChildProcess(marked), true);
        assertTrue(back.target() instanceof Cloneable, "the marker interface is kept");
        back.run();
        assertEquals(List.of("static", "marked"), RAN);
    }

    @Test
    void aDecodedLambdaCanBeSentOnAgainAsToAGrandchild() throws Exception {
        int n = 7;
        ChildProcess once = roundTrip(new ChildProcess(() -> record("again " + n)), true);
        ChildProcess twice = roundTrip(new ChildProcess(once.target(), "grandchild"), true);
        twice.run();
        assertEquals(List.of("again 7"), RAN);
    }

    @Test
    void aSubclassAndANonLambdaTargetTakeTheObjectStream() throws Exception {
        roundTrip(new Subclass("field"), false).run();
        roundTrip(new ChildProcess(new NamedTask()), false).run();
        assertEquals(List.of("subclass field", "named"), RAN);
    }

    @Test
    void aCapturedValueThatCannotBeSerializedIsStillReportedByName() {
        Object notSerializable = new Object();
        ChildProcess p = new ChildProcess(() -> record(notSerializable.toString()));
        assertNull(ProcessForm.encode(p), "no form: the object stream reports the class");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::start);
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void aCorruptOrTruncatedFormIsAnIOExceptionNeverAnOutOfMemoryError() throws Exception {
        int n = 1;
        byte[] good = ProcessAccess.get().encode(new ChildProcess(() -> record("x" + n)));
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IOException.class, () -> ProcessAccess.get().decode(truncated, getClass().getClassLoader()),
                    "cut at " + cut);
        }
        byte[] forged = good.clone();
        for (int at = 1; at < forged.length; at++) {
            byte[] bad = good.clone();
            bad[at] = (byte) 0x7f;
            try {
                ProcessAccess.get().decode(bad, getClass().getClassLoader());
            } catch (IOException expected) {
                // refused: what a corrupt form must give
            }
        }
    }

    @Test
    void theShapeCanBeReadFromAShortPrefixThatLeavesTheCapturedValuesBehind() throws Exception {
        byte[] big = new byte[1 << 20];
        byte[] encoded = ProcessAccess.get().encode(new ChildProcess(() -> record("" + big.length)));
        byte[] prefix = LambdaForms.shapePrefix(encoded);
        assertTrue(prefix.length < 1024, "prefix of " + prefix.length + " bytes");
        assertEquals(LambdaForms.peekShape(encoded), LambdaForms.peekShape(prefix));
    }

    @Test
    void preparingALambdaClassRunsNoneOfTheUserCode() throws Exception {
        SerializableRunnable ref = InitFlag::touch; // a method reference does not initialize InitFlag
        assertNull(System.getProperty(InitFlag.PROPERTY));
        byte[] encoded = ProcessAccess.get().encode(new ChildProcess(ref));
        LambdaShape shape = LambdaForms.peekShape(encoded);
        Lambdas.prepare(shape, getClass().getClassLoader());
        ChildProcess back = ProcessAccess.get().decode(encoded, getClass().getClassLoader());
        assertNull(System.getProperty(InitFlag.PROPERTY), "InitFlag's static initializer has not run");
        back.run();
        assertEquals("initialized", System.getProperty(InitFlag.PROPERTY));
        assertFalse(RAN.isEmpty());
    }

    static void staticTask() {
        record("static");
    }

    /** Sets a system property in its static initializer: shows whether any code of it ran. */
    static final class InitFlag {
        static final String PROPERTY = "mp4j.test.processForm.initFlag";

        static {
            System.setProperty(PROPERTY, "initialized");
        }

        private InitFlag() {
        }

        static void touch() {
            record("touched");
        }
    }

    /** A process as the seed writes them. */
    static final class Subclass extends ChildProcess {
        private static final long serialVersionUID = 1L;
        private final String field;

        Subclass(String field) {
            this.field = field;
        }

        @Override
        public void run() {
            record("subclass " + field);
        }
    }

    /** A target that is a class of its own, not a lambda. */
    static final class NamedTask implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            record("named");
        }
    }
}
