package org.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.TestTimeouts;

/** Listener and Client: addresses, interrupts, closing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerTest {
    @TempDir
    Path dir;

    @Test
    void portZeroBindsAFreePortThatAddressTells() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Pairs.KEY)) {
            InetSocketAddress bound = (InetSocketAddress) listener.address();
            assertNotEquals(0, bound.getPort());
        }
    }

    @Test
    void aUnixListenerBindsTheGivenPathAndCloseRemovesIt() throws Exception {
        Path socket = dir.resolve("l.sock");
        Listener listener = new Listener(UnixDomainSocketAddress.of(socket), Pairs.KEY);
        assertEquals(UnixDomainSocketAddress.of(socket), listener.address());
        assertTrue(Files.exists(socket));
        listener.close();
        listener.close();
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> Client.connect(UnixDomainSocketAddress.of(socket), Pairs.KEY));
    }

    @Test
    void interruptingAcceptLeavesTheListenerOpen() throws Exception {
        try (Listener listener = new Listener(null, Pairs.KEY)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    listener.accept();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            Thread.sleep(TestTimeouts.SETTLE.toMillis());
            t.interrupt();
            t.join(TestTimeouts.CHILD_STEP.toMillis());
            assertInstanceOf(InterruptedIOException.class, thrown.get());
            CompletableFuture<Connection> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Connection c = Client.connect(listener.address(), Pairs.KEY);
                    Connection s = next.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                s.send(5);
                assertEquals(5, (int) c.recv());
            }
        }
    }

    @Test
    void closingTheListenerWakesAccept() throws Exception {
        Listener listener = new Listener(null, Pairs.KEY);
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                listener.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        listener.close();
        assertInstanceOf(IOException.class, waiting.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void keysAreCheckedAtOnce() {
        assertThrows(NullPointerException.class, () -> new Listener(null, null));
        assertThrows(IllegalArgumentException.class, () -> new Listener(null, new byte[0]));
    }
}
