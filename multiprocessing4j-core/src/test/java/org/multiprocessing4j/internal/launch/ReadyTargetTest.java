package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many JVMs a ready pool keeps: the context's count, raised to the program's peak of running processes. */
class ReadyTargetTest {
    @Test
    void theCountIsRaisedToThePeakOfRunningProcessesWithinTheCaps() {
        assertEquals(2, ReadyPool.target(2, 1, 2), "the count is a floor");
        assertEquals(2, ReadyPool.target(2, 2, 2));
        assertEquals(4, ReadyPool.target(2, 4, 2), "two producers and two consumers at once");
        assertEquals(4, ReadyPool.target(2, 9, 2), "at most two per core");
        assertEquals(8, ReadyPool.target(2, 30, 64), "at most eight");
        assertEquals(5, ReadyPool.target(5, 1, 2), "a larger count is kept as it is");
        assertEquals(12, ReadyPool.target(12, 30, 64));
        assertEquals(2, ReadyPool.target(1, 3, 1), "two on a single core");
    }

    @Test
    void aCountOfZeroKeepsNoneWhateverThePeak() {
        assertEquals(0, ReadyPool.target(0, 8, 16));
    }
}
