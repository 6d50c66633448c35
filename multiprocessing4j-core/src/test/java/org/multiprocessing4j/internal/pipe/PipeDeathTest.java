package org.multiprocessing4j.internal.pipe;

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
 * A process that dies in the middle of receiving a large message, while another live process still holds a copy
 * of the receiving end: the sender must learn that the pipe is broken instead of waiting for ever for space that
 * nobody will free.
 */
class PipeDeathTest {
    private static final int MESSAGE = 64 << 20;

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
