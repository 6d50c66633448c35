package org.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.function.SerializableFunction;

/** The contract across child JVMs: echo over Listener/Client and over Pipe ends captured by the child; dying peers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionAcrossProcessesTest {
    private static final byte[] KEY = Pairs.KEY;

    // ---- what the children run (static: the lambdas capture only values) ---------------------------------------

    static SocketAddress address(String where) {
        return where.startsWith("tcp:")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(where.substring(4)))
                : UnixDomainSocketAddress.of(where.substring(5));
    }

    static String where(SocketAddress a) {
        return a instanceof InetSocketAddress ? "tcp:" + ((InetSocketAddress) a).getPort()
                : "unix:" + ((UnixDomainSocketAddress) a).getPath();
    }

    /** Echoes objects until null or end of stream. */
    static void echo(Connection c) throws IOException {
        try (c) {
            for (;;) {
                Object o = c.recv();
                if (o == null) {
                    return;
                }
                c.send(o);
            }
        } catch (EOFException e) {
            // the parent is done
        }
    }

    static void connectAndEcho(String where) throws IOException {
        echo(Client.connect(address(where), KEY));
    }

    /** Halts the JVM 300 ms after it starts sending 256 MiB that nobody reads (the parent waits for the end). */
    static void haltWhileSending(Connection c) throws IOException {
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                // halt anyway
            }
            Runtime.getRuntime().halt(3);
        });
        halter.start();
        c.sendBytes(new byte[256 << 20]);
        Runtime.getRuntime().halt(4);
    }

    // ---- tests --------------------------------------------------------------------------------------------------

    private static Listener listener(boolean tcp) throws IOException {
        return new Listener(tcp ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null, KEY);
    }

    private static void echoRoundTrips(Connection c) throws Exception {
        List<Object> values = List.of(1, "two", 3.0, List.of(4, 5), new byte[] {6});
        for (Object v : values) {
            c.send(v);
            Object back = c.recv();
            if (v instanceof byte[]) {
                assertArrayEquals((byte[]) v, (byte[]) back);
            } else {
                assertEquals(v, back);
            }
        }
        int offset = 10;
        c.send((SerializableFunction<Integer, Integer>) x -> x + offset);
        SerializableFunction<Integer, Integer> f = c.recv();
        assertEquals(15, f.apply(5));
        byte[] big = new byte[8 << 20];
        big[big.length - 1] = 1;
        c.send(big);
        assertArrayEquals(big, c.recv());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aChildConnectsWithClientAndEchoes(boolean tcp) throws Exception {
        try (Listener listener = listener(tcp)) {
            String where = where(listener.address());
            ChildProcess child = new ChildProcess(() -> connectAndEcho(where));
            child.start();
            try (Connection c = listener.accept()) {
                echoRoundTrips(c);
                c.send(null);
            }
            child.join();
            assertEquals(0, child.exitCode());
        }
    }

    @Test
    void aPipeEndCapturedByAChildWorksThereAndClosingGivesEof() throws Exception {
        Pipe pipe = Pipe.open();
        Connection theirs = pipe.right();
        ChildProcess child = new ChildProcess(() -> echo(theirs));
        child.start();
        theirs.close();
        try (Connection mine = pipe.left()) {
            echoRoundTrips(mine);
        }
        child.join();
        assertEquals(0, child.exitCode(), "the child saw end of stream once the parent closed its end");
    }

    @Test
    void anEndHeldByTwoChildrenGivesEofOnlyOnceBothHaveClosedIt() throws Exception {
        Pipe pipe = Pipe.open(false);
        Pipe go = Pipe.open(false);
        Connection sender = pipe.right();
        Connection goSignal = go.left();
        ChildProcess first = new ChildProcess(() -> {
            sender.send("first");
            sender.close();
        });
        ChildProcess second = new ChildProcess(() -> {
            goSignal.recv();
            sender.send("second");
        });
        first.start();
        second.start();
        sender.close();
        goSignal.close();
        Connection receiver = pipe.left();
        assertEquals("first", receiver.recv());
        first.join();
        assertTrue(!receiver.poll(TestTimeouts.SETTLE), "no end of stream while the second child holds a copy");
        go.right().send("go");
        assertEquals("second", receiver.recv());
        second.join();
        assertInstanceOf(EOFException.class, Pairs.thrownWithin(TestTimeouts.CHILD_STEP, receiver::recv));
        receiver.close();
        go.right().close();
    }

    @Test
    void twoChildrenReceivingFromOneEndEachGetWholeMessages() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection receiver = pipe.left();
        Pipe results = Pipe.open(false);
        Connection report = results.right();
        List<ChildProcess> children = List.of(
                new ChildProcess(() -> report.send(receiver.recvBytes().length)),
                new ChildProcess(() -> report.send(receiver.recvBytes().length)));
        for (ChildProcess c : children) {
            c.start();
        }
        receiver.close();
        report.close();
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        pipe.right().sendBytes(new byte[6 << 20]);
        pipe.right().sendBytes(new byte[7]);
        int a = results.left().recv();
        int b = results.left().recv();
        assertEquals(java.util.Set.of(6 << 20, 7), java.util.Set.of(a, b));
        for (ChildProcess c : children) {
            c.join();
            assertEquals(0, c.exitCode());
        }
        pipe.right().close();
        results.left().close();
    }

    @Test
    void aOneWayPipeGivesEofOnceTheChildHasEnded() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection sender = pipe.right();
        ChildProcess child = new ChildProcess(() -> {
            for (int i = 0; i < 3; i++) {
                sender.send(i);
            }
        });
        child.start();
        sender.close();
        Connection receiver = pipe.left();
        assertTrue(!receiver.isWritable() && receiver.isReadable());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, (int) receiver.recv());
        }
        Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, receiver::recv);
        assertInstanceOf(EOFException.class, t);
        receiver.close();
        child.join();
    }

    @Test
    void aPipeEndSentOverAnotherPipeWorksInTheChild() throws Exception {
        Pipe control = Pipe.open();
        Pipe data = Pipe.open();
        Connection controlChild = control.right();
        ChildProcess child = new ChildProcess(() -> {
            Connection got = controlChild.recv();
            got.send("hello through a handed-on end");
            got.close();
        });
        child.start();
        controlChild.close();
        control.left().send(data.right());
        data.right().close();
        assertEquals("hello through a handed-on end", data.left().recv());
        assertInstanceOf(EOFException.class, Pairs.thrownWithin(TestTimeouts.CHILD_STEP, data.left()::recv));
        child.join();
        assertEquals(0, child.exitCode());
        control.left().close();
        data.left().close();
    }

    private static java.nio.file.Path segmentFile(Connection end) {
        String s = end.toString();
        String name = s.substring(s.indexOf(" of ") + 4, s.indexOf(']')).replace(", closed", "");
        return org.multiprocessing4j.internal.memory.SegmentFiles.directory()
                .resolve(org.multiprocessing4j.internal.memory.SegmentFiles.PREFIX + name);
    }

    @Test
    void aPipeWhoseCopiesAreAllClosedLeavesNoFileBehind() throws Exception {
        Pipe local = Pipe.open();
        java.nio.file.Path file = segmentFile(local.left());
        assertTrue(java.nio.file.Files.exists(file), file.toString());
        local.left().close();
        local.right().close();
        assertTrue(!java.nio.file.Files.exists(file), "closed locally: " + file);

        Pipe shared = Pipe.open(false);
        java.nio.file.Path sharedFile = segmentFile(shared.left());
        Connection sender = shared.right();
        ChildProcess child = new ChildProcess(() -> {
            sender.send("bye");
            sender.close();
        });
        child.start();
        sender.close();
        assertEquals("bye", shared.left().recv());
        child.join();
        shared.left().close();
        assertTrue(!java.nio.file.Files.exists(sharedFile), "closed in both processes: " + sharedFile);
    }

    @Test
    void killingTheOnlyHolderOfAPipeEndGivesEofWithinTwoSeconds() throws Exception {
        Pipe pipe = Pipe.open();
        Connection theirs = pipe.right();
        ChildProcess child = new ChildProcess(() -> {
            theirs.send("ready");
            Thread.sleep(Long.MAX_VALUE);
        });
        child.start();
        theirs.close();
        assertEquals("ready", pipe.left().recv());
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                pipe.left().recv();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        child.kill();
        child.join();
        assertInstanceOf(EOFException.class,
                waiting.get(TestTimeouts.PARENT_DEATH_NOTICED.toMillis(), TimeUnit.MILLISECONDS));
        Throwable send = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, () -> {
            for (int i = 0; i < 100; i++) {
                pipe.left().sendBytes(new byte[1 << 20]);
            }
        });
        assertInstanceOf(IOException.class, send, "a send to a dead reader fails and never blocks");
        pipe.left().close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void killingASocketPeerGivesEofWithinTwoSeconds(boolean tcp) throws Exception {
        try (Listener listener = listener(tcp)) {
            String where = where(listener.address());
            ChildProcess child = new ChildProcess(() -> {
                Connection c = Client.connect(address(where), KEY);
                c.send("ready");
                Thread.sleep(Long.MAX_VALUE);
            });
            child.start();
            try (Connection c = listener.accept()) {
                assertEquals("ready", c.recv());
                CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        c.recv();
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                Thread.sleep(TestTimeouts.SETTLE.toMillis());
                child.kill();
                assertInstanceOf(EOFException.class,
                        waiting.get(TestTimeouts.PARENT_DEATH_NOTICED.toMillis(), TimeUnit.MILLISECONDS));
            }
            child.join();
        }
    }

    @Test
    void aPipeSenderThatHaltsMidMessageBreaksThePipeWithAnIoException() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection sender = pipe.right();
        ChildProcess child = new ChildProcess(() -> haltWhileSending(sender));
        child.start();
        sender.close();
        child.join();
        assertEquals(3, child.exitCode(), "the child halted while its message filled the ring");
        Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, () -> pipe.left().recvBytes());
        assertInstanceOf(IOException.class, t);
        pipe.left().close();
    }

    @Test
    void aSocketSenderThatHaltsMidMessageGivesEof() throws Exception {
        try (Listener listener = listener(false)) {
            String where = where(listener.address());
            ChildProcess child = new ChildProcess(() -> haltWhileSending(Client.connect(address(where), KEY)));
            child.start();
            try (Connection c = listener.accept()) {
                child.join();
                assertEquals(3, child.exitCode(), "the child halted while its message filled the socket");
                Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, c::recvBytes);
                assertInstanceOf(EOFException.class, t);
            }
        }
    }

    /**
     * Says "selecting" on {@code report}, selects on {@code a} and {@code b} with no time-out, and reports the index
     * of the ready one. Run with select rounds of an hour, so only a sender's wake can end the select.
     */
    static void selectAndReport(Connection a, Connection b, Connection report) throws IOException {
        report.send("selecting");
        List<Connection> ready = Connection.select(List.of(a, b), null);
        report.send(ready.size() == 1 && ready.get(0) == b ? "b" : "ready=" + ready.size());
    }

    @Test
    void aSelectOverPipesInAChildIsWokenByTheSendItself() throws Exception {
        Pipe first = Pipe.open(false);
        Pipe second = Pipe.open(false);
        Pipe report = Pipe.open(false);
        Connection a = first.left();
        Connection b = second.left();
        Connection out = report.right();
        ChildProcess child = org.multiprocessing4j.Multiprocessing.getContext()
                .withJvmOptions("-Dmp4j.select.roundMillis=3600000")
                .process(() -> selectAndReport(a, b, out));
        child.start();
        try {
            assertEquals("selecting", report.left().recv());
            Thread.sleep(300); // the child is parked by now (if not, the select sees the message on its way in)
            second.right().send("wake");
            assertTrue(report.left().poll(TestTimeouts.CHILD_STEP), "the select was not woken by the send");
            assertEquals("b", report.left().recv());
        } finally {
            child.kill();
            child.join();
        }
    }
}
