package org.multiprocessing4j.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.LambdaForms;

/**
 * A spawned child warms up with what decoding its own process will need: the shape of its lambda, and a probe
 * through an object stream only when the process or a value it captures needs one.
 */
class WarmupProbeTest {
    private static WarmupProbe.Plan planFor(ChildProcess p) throws Exception {
        return WarmupProbe.read(WarmupProbe.forSpawn(ProcessAccess.get().encode(p)));
    }

    @Test
    void aLambdaCapturingPlainValuesGetsItsShapeAndNoObjectStream() throws Exception {
        String text = "a";
        int n = 1;
        ChildProcess p = new ChildProcess(() -> Thread.currentThread().setName(text + n));
        WarmupProbe.Plan plan = planFor(p);
        assertEquals(1, plan.shapes().size());
        assertEquals(LambdaForms.peekShape(ProcessAccess.get().encode(p)), plan.shapes().get(0));
        assertEquals(0, plan.probe().length);
    }

    @Test
    void aCapturedValueOrAProcessThatNeedsAnObjectStreamAddsTheProbe() throws Exception {
        long[] array = {1};
        WarmupProbe.Plan streamed = planFor(new ChildProcess(() -> Thread.currentThread().setName("" + array[0])));
        assertEquals(1, streamed.shapes().size());
        assertTrue(streamed.probe().length > 0);
        assertNotNull(WarmupProbe.decode(streamed.probe()), "the probe decodes");

        WarmupProbe.Plan subclass = planFor(new Subclass());
        assertEquals(0, subclass.shapes().size());
        assertNotNull(WarmupProbe.decode(subclass.probe()));
    }

    /** A process that overrides run(): it needs an object stream. */
    static final class Subclass extends ChildProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            // never run
        }
    }
}
