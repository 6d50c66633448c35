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

    private static IdleSpin atTheFloor() {
        IdleSpin s = new IdleSpin();
        while (s.spinAfterSingleTask() > IdleSpin.MIN_SPIN_NANOS) {
            waitAfterSingleTask(s, 10 * IdleSpin.MAX_SPIN_NANOS);
        }
        return s;
    }

    @Test
    void missedGapsShorterThanTheMaximumLengthenTheSpinInsteadOfShorteningIt() {
        IdleSpin s = atTheFloor();
        // a loaded machine: now and then a gap just past the spin, as when a descheduled caller sends late
        for (int i = 0; i < 3; i++) {
            long gap = s.spinAfterSingleTask() + 1;
            waitAfterSingleTask(s, gap);
            assertEquals(2 * gap, s.spinAfterSingleTask(), "near miss " + i);
            waitAfterSingleTask(s, 10_000);
        }
        // so the next short gap of a sequential caller is caught by the spin
        assertTrue(waitAfterSingleTask(s, 10_000) > 10_000);
    }

    @Test
    void aGapThatMovesPastTheSpinEachTimeItGrowsDropsTheSpinToTheFloorForAWhile() {
        IdleSpin s = atTheFloor();
        // the sender only gets a CPU once this spin stops: every gap ends just past the spin, however long
        waitAfterSingleTask(s, 50_000);
        assertEquals(100_000, s.spinAfterSingleTask(), "one near miss lengthens the spin");
        waitAfterSingleTask(s, 130_000);
        assertEquals(IdleSpin.MIN_SPIN_NANOS, s.spinAfterSingleTask(), "the gap moved with it: starvation");
        for (int i = 0; i < IdleSpin.CONTENTION_PER_STARVATION - 1; i++) {
            waitAfterSingleTask(s, 50_000);
            assertEquals(IdleSpin.MIN_SPIN_NANOS, s.spinAfterSingleTask(), "no miss grows the spin for a while: " + i);
        }
        waitAfterSingleTask(s, 50_000);
        assertEquals(100_000, s.spinAfterSingleTask(), "then it may grow again");
        waitAfterSingleTask(s, 10_000);
        waitAfterSingleTask(s, 120_000);
        assertEquals(240_000, s.spinAfterSingleTask(), "a near miss after a caught gap is no starvation");
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
        waitAfterSingleTask(s, 50_000);
        assertEquals(200_000, s.spinAfterSingleTask());
        waitAfterSingleTask(s, 199_000);
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
