package org.multiprocessing4j.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;

/**
 * Messages larger than the ring, which stream through it across processes: they arrive whole however the two sides
 * take turns, and a receiver that dies in the middle of one fails the sender.
 */
class PipeStreamingTest {
    private static final int MESSAGE = 64 << 20;
    private static final int CHECKED = 40 << 20;

    /** Bytes that repeat nowhere within a message, so that a piece copied to the wrong place shows. */
    static byte[] content(int seed) {
        byte[] b = new byte[CHECKED + seed];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Sends the three checked messages. */
    static void sendThree(PipeEnd out) throws IOException {
        for (int seed = 1; seed <= 3; seed++) {
            out.sendBytes(content(seed));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void largeMessagesArriveWholeWhenEitherSideIsAwayMidMessage() throws Exception {
        PipeEnd[] ends = PipeEnd.open(false);
        PipeEnd in = ends[0];
        PipeEnd out = ends[1];
        ChildProcess child = new ChildProcess(() -> sendThree(out));
        try {
            child.start();
            out.close();
            Thread.sleep(TestTimeouts.SETTLE.toMillis());
            assertArrayEquals(content(1), in.recvBytes(), "the receiver came late: the sender waited on a full ring");
            CompletableFuture<Void> pauses = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        signal("-STOP", child.pid());
                        Thread.sleep(20);
                        signal("-CONT", child.pid());
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] second = in.recvBytes();
            pauses.get();
            assertArrayEquals(content(2), second, "the sender was stopped several times while it sent");
            byte[] third = new byte[CHECKED + 10];
            assertEquals(CHECKED + 3, in.recvBytesInto(third, 7));
            assertArrayEquals(content(3), java.util.Arrays.copyOfRange(third, 7, 7 + CHECKED + 3), "into an array");
            child.join();
            assertEquals(0, child.exitCode());
        } finally {
            child.kill();
            child.join();
            in.close();
        }
    }

    /** Receives messages until the process is killed. */
    static void receiveForever(PipeEnd in) throws IOException {
        for (;;) {
            in.recvBytes();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReceiverKilledInTheMiddleOfALargeMessageFailsTheSenderInsteadOfHangingIt() throws Exception {
        PipeEnd[] ends = PipeEnd.open(false);
        PipeEnd in = ends[0];
        PipeEnd out = ends[1];
        ChildProcess child = new ChildProcess(() -> receiveForever(in));
        try {
            child.start();
            CompletableFuture<Throwable> sender = CompletableFuture.supplyAsync(() -> {
                byte[] big = new byte[MESSAGE];
                try {
                    for (;;) {
                        out.sendBytes(big);
                    }
                } catch (Throwable t) {
                    return t;
                }
            });
            stopInTheMiddleOfAMessage(child, in.readRing());
            child.kill();
            child.join();
            Throwable t = sender.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS);
            assertInstanceOf(IOException.class, t);
            assertTrue(t.getMessage().contains("broken"), t.getMessage());
        } finally {
            child.kill();
            child.join();
            in.close();
            out.close();
        }
    }

    /**
     * Stops the child (SIGSTOP) at a moment when it is in the middle of receiving a message: it is most of the time
     * (a message streams through the 4 MiB ring), and the short pause after the signal lets a stop that came late
     * show as a finished message, so that the loop tries again.
     */
    private static void stopInTheMiddleOfAMessage(ChildProcess child, ShmRing ring) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (ring.readerMidMessage()) {
                signal("-STOP", child.pid());
                Thread.sleep(TestTimeouts.SETTLE.toMillis() / 6);
                if (ring.readerMidMessage()) {
                    return;
                }
                signal("-CONT", child.pid());
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the child never was in the middle of a message");
    }

    private static void signal(String which, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", which, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS) && kill.exitValue() == 0,
                "kill " + which + " " + pid);
    }
}
