package org.multiprocessing4j.internal.pool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdleSpinTest {
    private static long waitAfterSingleTask(IdleSpin s, long gap) {
        s.ran();
        long spin = s.beginWait();
        s.endWait(gap, false);
        return spin;
    }

    @Test
    void aLongSingleTaskIsFollowedByTheFloorSpinAndLeavesTheAdaptiveSpinAlone() {
        IdleSpin s = new IdleSpin();
        long adaptive = waitAfterSingleTask(s, 10_000);
        assertTrue(adaptive > IdleSpin.MIN_SPIN_NANOS, "spin after a short task: " + adaptive);
        long before = s.spinAfterSingleTask();
        s.ran(IdleSpin.LONG_TASK_NANOS);
        assertEquals(IdleSpin.MIN_SPIN_NANOS, s.beginWait());
        s.endWait(5_000_000, false);
        assertEquals(before, s.spinAfterSingleTask(), "a gap after a long task does not teach the adaptive spin");
        s.ran(IdleSpin.LONG_TASK_NANOS - 1);
        assertEquals(before, s.beginWait());
    }

    @Test
    void missedGapsShorterThanTheMaximumLengthenTheSpinInsteadOfShorteningIt() {
        IdleSpin s = new IdleSpin();
        // a loaded machine: several gaps just past the spin, as when a descheduled caller sends late
        for (int i = 0; i < 10; i++) {
            waitAfterSingleTask(s, s.spinAfterSingleTask() + 1);
        }
        assertTrue(s.spinAfterSingleTask() >= IdleSpin.PROBE_SPIN_NANOS,
                "spin=" + s.spinAfterSingleTask() + " after near misses");
        // so the next short gap of a sequential caller is caught by the spin
        assertTrue(waitAfterSingleTask(s, 10_000) > 10_000);
    }

    @Test
    void longIdleGapsHalveTheSpinDownToTheFloorAndAProbeRestoresIt() {
        IdleSpin s = new IdleSpin();
        for (int i = 0; i < IdleSpin.PROBE_EVERY - 1; i++) {
            waitAfterSingleTask(s, 10 * IdleSpin.MAX_SPIN_NANOS);
        }
        assertEquals(IdleSpin.MIN_SPIN_NANOS, s.spinAfterSingleTask());
        waitAfterSingleTask(s, 10 * IdleSpin.MAX_SPIN_NANOS);
        assertEquals(IdleSpin.PROBE_SPIN_NANOS, s.spinAfterSingleTask());
    }

    @Test
    void caughtGapsGrowTheSpinToFourTimesTheGapUpToTheMaximum() {
        IdleSpin s = new IdleSpin();
        waitAfterSingleTask(s, 100_000);
        assertEquals(400_000, s.spinAfterSingleTask());
        waitAfterSingleTask(s, 399_000);
        assertEquals(IdleSpin.MAX_SPIN_NANOS, s.spinAfterSingleTask());
    }

    @Test
    void afterABatchTheWorkerSpinsOnlyTheFloorAndLeavesTheAdaptiveSpinAlone() {
        IdleSpin s = new IdleSpin();
        long before = s.spinAfterSingleTask();
        s.ran();
        s.ran();
        s.ran();
        assertEquals(IdleSpin.MIN_SPIN_NANOS, s.beginWait());
        s.endWait(10 * IdleSpin.MAX_SPIN_NANOS, false);
        assertEquals(before, s.spinAfterSingleTask());
        assertEquals(before, waitAfterSingleTask(s, 1_000));
    }

    @Test
    void aSpinThatLostTheCpuHalvesEvenWhenItCaughtTheTask() {
        IdleSpin s = new IdleSpin();
        long before = s.spinAfterSingleTask();
        s.ran();
        s.beginWait();
        s.endWait(1_000, true);
        assertEquals(before / 2, s.spinAfterSingleTask());
        for (int i = 0; i < 20; i++) {
            s.ran();
            s.beginWait();
            s.endWait(s.spinAfterSingleTask() + 1, true);
        }
        assertEquals(IdleSpin.MIN_SPIN_NANOS, s.spinAfterSingleTask(), "near misses do not grow a starving spin");
    }

    @Test
    void whileSpinsKeepLosingTheCpuNoGapGrowsTheSpinAndMissesHalveIt() {
        IdleSpin s = new IdleSpin();
        s.ran();
        s.beginWait();
        s.endWait(1_000, true);
        long afterPreemption = s.spinAfterSingleTask();
        waitAfterSingleTask(s, afterPreemption - 1);
        assertEquals(afterPreemption, s.spinAfterSingleTask(), "a caught gap does not grow a contended spin");
        waitAfterSingleTask(s, afterPreemption + 1);
        assertEquals(afterPreemption / 2, s.spinAfterSingleTask(), "a near miss halves a contended spin");
        for (int i = 0; i < IdleSpin.CONTENTION_PER_PREEMPTION; i++) {
            waitAfterSingleTask(s, 1_000);
        }
        long spin = s.spinAfterSingleTask();
        waitAfterSingleTask(s, spin - 1);
        assertEquals(4 * (spin - 1), s.spinAfterSingleTask(), "once the CPU was not lost for a while, spins grow");
    }
}
