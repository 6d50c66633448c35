package org.multiprocessing4j.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link PipeEnd} offers beyond the {@code Connection} contract (which ConnectionContractTest covers). */
class PipeEndTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void hasDataTellsWhetherAMessageWaitsWithoutTakingIt() throws Exception {
        PipeEnd[] ends = PipeEnd.open(true);
        try {
            assertFalse(ends[0].hasData(), "empty");
            ends[1].sendBytes(new byte[] {1, 2, 3});
            assertTrue(ends[0].hasData(), "after a send");
            assertTrue(ends[0].hasData(), "asking again takes nothing");
            assertFalse(ends[1].hasData(), "the other direction is empty");
            assertArrayEquals(new byte[] {1, 2, 3}, ends[0].recvBytes());
            assertFalse(ends[0].hasData(), "after the message was received");
            ends[1].sendBytes(new byte[0]);
            assertTrue(ends[0].hasData(), "an empty message is a message");
            ends[0].close();
            assertFalse(ends[0].hasData(), "a closed copy has nothing to receive");
        } finally {
            ends[0].close();
            ends[1].close();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aWriteOnlyEndNeverHasData() throws Exception {
        PipeEnd[] ends = PipeEnd.open(false);
        try {
            ends[1].sendBytes(new byte[] {7});
            assertTrue(ends[0].hasData());
            assertFalse(ends[1].hasData(), "the right end of a one-way pipe only sends");
        } finally {
            ends[0].close();
            ends[1].close();
        }
    }
}
