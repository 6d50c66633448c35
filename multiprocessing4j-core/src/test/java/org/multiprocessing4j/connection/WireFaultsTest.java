package org.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.wire.ChannelStreams;
import org.multiprocessing4j.internal.wire.Handshake;

/** Wrong keys and garbage on the wire: always an IOException, never a hang nor an OutOfMemoryError. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireFaultsTest {
    private static final byte[] KEY = "the-right-key".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWrongKeyFailsOnBothSides(boolean tcp) throws Exception {
        try (Listener listener = new Listener(tcp ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null,
                KEY)) {
            CompletableFuture<Throwable> server = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThrows(AuthenticationException.class,
                    () -> Client.connect(listener.address(), "a-wrong-key".getBytes(StandardCharsets.US_ASCII)));
            assertInstanceOf(AuthenticationException.class,
                    server.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void garbageInsteadOfTheHandshakeFailsThatClientOnlyAndTheListenerGoesOn() throws Exception {
        try (Listener listener = new Listener(null, KEY)) {
            CompletableFuture<Throwable> server = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            try (SocketChannel raw = SocketChannel.open(listener.address())) {
                byte[] junk = new byte[4096];
                new Random(1).nextBytes(junk);
                raw.write(ByteBuffer.wrap(junk));
            }
            assertInstanceOf(IOException.class, server.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
            CompletableFuture<Connection> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Connection c = Client.connect(listener.address(), KEY);
                    Connection s = next.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                c.send("fine");
                assertEquals("fine", s.recv());
            }
        }
    }

    /** An authenticated peer that writes raw bytes, then closes. */
    private static Connection afterRawBytes(byte[] bytes) throws Exception {
        Listener listener = new Listener(null, KEY);
        try (listener) {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SocketChannel raw = SocketChannel.open(listener.address())) {
                DataInputStream in = new DataInputStream(ChannelStreams.in(raw));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(raw)));
                Handshake.connect(in, out, KEY);
                Connection server = accepted.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS);
                out.write(bytes);
                out.flush();
                return server;
            }
        }
    }

    private static byte[] ints(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    private static <T extends Throwable> T failsWithin(Class<T> type, Connection c) throws Exception {
        Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, c::recvBytes);
        c.close();
        return assertInstanceOf(type, t);
    }

    @Test
    void aTruncatedFrameGivesEof() throws Exception {
        byte[] bytes = ByteBuffer.allocate(14).putInt(100).put(new byte[10]).array();
        failsWithin(EOFException.class, afterRawBytes(bytes));
    }

    @Test
    void aForgedHugeLengthAllocatesLittleAndFails() throws Exception {
        byte[] bytes = ByteBuffer.allocate(9).putInt(Integer.MAX_VALUE - 8).put(new byte[5]).array();
        failsWithin(EOFException.class, afterRawBytes(bytes));
    }

    @Test
    void aLongLengthBeyondAnyArrayIsRefused() throws Exception {
        byte[] bytes = ByteBuffer.allocate(12).putInt(-1).putLong(1L << 40).array();
        StreamCorruptedException e = failsWithin(StreamCorruptedException.class, afterRawBytes(bytes));
        assertTrue(e.getMessage().contains("length=1099511627776"), e.getMessage());
    }

    @Test
    void aNegativeLengthIsRefused() throws Exception {
        failsWithin(StreamCorruptedException.class, afterRawBytes(ints(-5)));
    }

    @Test
    void randomBytesGiveAnIoException() throws Exception {
        for (int seed = 0; seed < 5; seed++) {
            byte[] junk = new byte[3000];
            new Random(seed).nextBytes(junk);
            Connection c = afterRawBytes(junk);
            Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, () -> {
                for (;;) {
                    c.recv();
                }
            });
            c.close();
            assertInstanceOf(IOException.class, t, "seed=" + seed);
        }
    }

    @Test
    void aFrameThatIsNotAnObjectFailsRecvAndLeavesTheStreamInStep() throws Exception {
        byte[] frame1 = ByteBuffer.allocate(9).putInt(5).put(new byte[] {99, 1, 2, 3, 4}).array();
        byte[] frame2 = ByteBuffer.allocate(7).putInt(3).put(new byte[] {2, 7, 8}).array();
        byte[] both = ByteBuffer.allocate(16).put(frame1).put(frame2).array();
        try (Connection c = afterRawBytes(both)) {
            IOException e = assertThrows(IOException.class, c::recv);
            assertTrue(e.getMessage().contains("unknown codec tag"), e.getMessage());
            byte[] raw = c.recv();
            assertEquals(2, raw.length);
        }
    }
}
