package org.multiprocessing4j.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a connection's wait chooses its mode (no timing: the waits' outcomes are given). */
class ReplySpinTest {

    /** @return how many yielding waits pass before the wait tries spinning */
    private static int waitsBeforeATry(ReplySpin s) {
        assertFalse(s.spinning());
        int n = 0;
        while (!s.spinning()) {
            s.record(true);
            n++;
            if (n > 10 * ReplySpin.MAX_PROBE_ROUNDS) {
                throw new AssertionError("never tries spinning");
            }
        }
        return n;
    }

    @Test
    void startsYieldingAndTriesSpinningAfterProbeRounds() {
        ReplySpin s = new ReplySpin();
        assertFalse(s.spinning());
        assertEquals(ReplySpin.PROBE_ROUNDS, waitsBeforeATry(s));
    }

    @Test
    void eachFailedTryDoublesTheWaitsBeforeTheNextUpToTheBound() {
        ReplySpin s = new ReplySpin();
        int expected = ReplySpin.PROBE_ROUNDS;
        for (int i = 0; i < 8; i++) {
            assertEquals(expected, waitsBeforeATry(s), "try " + i);
            s.record(true); // the answer came only after the spin: the peer shares the core
            assertFalse(s.spinning());
            expected = Math.min(expected * 2, ReplySpin.MAX_PROBE_ROUNDS);
        }
        assertEquals(ReplySpin.MAX_PROBE_ROUNDS, waitsBeforeATry(s));
    }

    @Test
    void aTryAnsweredWithinTheSpinKeepsSpinningAndResetsTheInterval() {
        ReplySpin s = new ReplySpin();
        waitsBeforeATry(s);
        s.record(true);
        assertEquals(2 * ReplySpin.PROBE_ROUNDS, waitsBeforeATry(s));
        s.record(false); // answered within the spin: the peer is on another core
        assertTrue(s.spinning());
        for (int i = 0; i < 1000; i++) {
            s.record(false);
        }
        assertTrue(s.spinning(), "stays spinning while answers come within the spin");
        s.record(true); // a spinning run ends: try again soon
        assertEquals(ReplySpin.PROBE_ROUNDS, waitsBeforeATry(s));
    }
}
