package org.multiprocessing4j.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.function.SerializableFunction;

/** The {@link Connection} contract within one JVM, for every way of making a connected pair. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionContractTest {

    /** A class the filter test refuses by name. */
    record Refused(int value) implements Serializable {
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void objectsOfEveryKindArriveEqual(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            List<Object> values = new ArrayList<>(List.of(7, 7L, 2.5, true, "héllo", List.of(1, "two"),
                    Map.of("k", 3)));
            values.add(null);
            for (Object v : values) {
                p.a().send(v);
                Object got = p.b().recv();
                assertEquals(v, got);
            }
            p.b().send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, p.a().recv());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void lambdaArrivesAndRuns(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            int captured = 40;
            p.a().send((SerializableFunction<Integer, Integer>) x -> x + captured);
            SerializableFunction<Integer, Integer> f = p.b().recv();
            assertEquals(42, f.apply(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void bytesWithOffsetsAndEmptyMessages(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            byte[] data = {0, 1, 2, 3, 4, 5, 6, 7};
            p.a().sendBytes(data, 2, 3);
            assertArrayEquals(new byte[] {2, 3, 4}, p.b().recvBytes());
            p.a().sendBytes(new byte[0]);
            assertEquals(0, p.b().recvBytes().length);
            p.a().sendBytes(data);
            byte[] into = new byte[12];
            assertEquals(8, p.b().recvBytesInto(into, 4));
            assertArrayEquals(data, java.util.Arrays.copyOfRange(into, 4, 12));
            assertThrows(IndexOutOfBoundsException.class, () -> p.a().sendBytes(data, 5, 4));
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void bufferTooShortCarriesTheMessageAndTheConnectionGoesOn(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            p.a().sendBytes(new byte[] {9, 8, 7, 6});
            BufferTooShortException e = assertThrows(BufferTooShortException.class,
                    () -> p.b().recvBytesInto(new byte[5], 2));
            assertArrayEquals(new byte[] {9, 8, 7, 6}, e.message());
            p.a().send("next");
            assertEquals("next", p.b().recv());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void recvBytesWithMaxRefusesALongerMessage(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            p.a().sendBytes(new byte[10]);
            IOException e = assertThrows(IOException.class, () -> p.b().recvBytes(9));
            assertTrue(e.getMessage().contains("length=10"), e.getMessage());
            assertFalse(p.b().isReadable());
            assertThrows(IOException.class, () -> p.b().recvBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void pollTellsWhetherAMessageWaits(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            assertFalse(p.b().poll());
            assertFalse(p.b().poll(Duration.ofMillis(20)));
            p.a().send(1);
            assertTrue(p.b().poll(TestTimeouts.CHILD_STEP));
            assertTrue(p.b().poll());
            assertEquals(1, (int) p.b().recv());
            assertFalse(p.b().poll());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void eofComesAfterEveryMessageSentBeforeClose(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            p.a().send("one");
            p.a().sendBytes(new byte[100_000]);
            p.a().close();
            assertTrue(p.a().isClosed());
            assertEquals("one", p.b().recv());
            assertEquals(100_000, p.b().recvBytes().length);
            assertTrue(p.b().poll(TestTimeouts.CHILD_STEP), "poll is true at end of stream");
            assertThrows(EOFException.class, () -> p.b().recv());
            assertThrows(EOFException.class, () -> p.b().recvBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void sendToAClosedPeerFailsAndNeverBlocks(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            p.b().close();
            byte[] chunk = new byte[1 << 20];
            Throwable t = Pairs.thrownWithin(TestTimeouts.CHILD_STEP, () -> {
                for (int i = 0; i < 1000; i++) {
                    p.a().sendBytes(chunk);
                }
            });
            assertInstanceOf(IOException.class, t);
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void operationsOnAClosedConnectionFail(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            p.a().close();
            p.a().close();
            assertThrows(IOException.class, () -> p.a().send(1));
            assertThrows(IOException.class, () -> p.a().recv());
            assertThrows(IOException.class, () -> p.a().poll());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void closeWakesAThreadWaitingInRecv(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    p.b().recv();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(TestTimeouts.SETTLE.toMillis());
            p.b().close();
            assertInstanceOf(IOException.class, waiter.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void interruptingAWaitingThreadLeavesTheConnectionOpen(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    p.b().recv();
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            Thread.sleep(TestTimeouts.SETTLE.toMillis());
            t.interrupt();
            t.join(TestTimeouts.CHILD_STEP.toMillis());
            assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertTrue(stillInterrupted.get());
            assertFalse(p.b().isClosed());
            p.a().send("after the interrupt");
            assertEquals("after the interrupt", p.b().recv());
            p.b().send("back");
            assertEquals("back", p.a().recv());
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void twoThreadsSendingNeverInterleave(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            int perThread = 100;
            int size = 200_000;
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (byte id = 1; id <= 2; id++) {
                byte fill = id;
                senders.add(CompletableFuture.runAsync(() -> {
                    byte[] msg = new byte[size];
                    java.util.Arrays.fill(msg, fill);
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            p.a().sendBytes(msg);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            go.countDown();
            int[] counts = new int[3];
            for (int i = 0; i < 2 * perThread; i++) {
                byte[] m = p.b().recvBytes();
                assertEquals(size, m.length);
                for (byte x : m) {
                    if (x != m[0]) {
                        throw new AssertionError("message " + i + " mixes bytes of two senders");
                    }
                }
                counts[m[0]]++;
            }
            assertEquals(perThread, counts[1]);
            assertEquals(perThread, counts[2]);
            for (CompletableFuture<Void> s : senders) {
                s.get();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void selectReturnsTheReadyOnes(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open(); Pairs.Pair q = kind.open()) {
            assertTrue(Connection.select(List.of(p.b(), q.b()), Duration.ofMillis(20)).isEmpty());
            q.a().send("x");
            assertEquals(List.of(q.b()), Connection.select(List.of(p.b(), q.b()), TestTimeouts.CHILD_STEP));
            CompletableFuture<List<Connection>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return Connection.select(List.of(p.b()), null);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(50);
            p.a().send("y");
            assertEquals(List.of(p.b()), waiting.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void aClassRefusedByTheFilterIsNamedAndTheConnectionGoesOn(Pairs kind) throws Exception {
        var filter = SerialFilter.addPattern("!" + Refused.class.getName());
        try (Pairs.Pair p = kind.open()) {
            p.a().send(new Refused(1));
            InvalidClassException e = assertThrows(InvalidClassException.class, () -> p.b().recv());
            assertTrue(e.getMessage().contains(Refused.class.getName()), e.getMessage());
            p.a().send("still fine");
            assertEquals("still fine", p.b().recv());
        } finally {
            SerialFilter.remove(filter);
        }
    }

    @ParameterizedTest
    @EnumSource(Pairs.class)
    void anUnserializableObjectIsRefusedAtTheSender(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            NotSerializableException e = assertThrows(NotSerializableException.class, () -> p.a().send(new Object()));
            assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
            p.a().send(null);
            assertNull(p.b().recv());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Pairs.class, names = {"UNIX", "PIPE"})
    void aBigMessageArrivesWhole(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            byte[] big = new byte[200 << 20];
            for (int i = 0; i < big.length; i += 4096) {
                big[i] = (byte) (i >>> 12);
            }
            big[big.length - 1] = 42;
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    p.a().sendBytes(big);
                    p.a().sendBytes(big, 1, big.length - 1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] got = p.b().recvBytes();
            assertTrue(java.util.Arrays.equals(big, got), "first message differs");
            got = null;
            byte[] into = new byte[big.length];
            assertEquals(big.length - 1, p.b().recvBytesInto(into, 1));
            into[0] = big[0];
            assertTrue(java.util.Arrays.equals(big, into), "second message differs");
            sender.get();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Pairs.class, names = {"UNIX", "PIPE"})
    void aOneGibibyteMessageArrivesWhole(Pairs kind) throws Exception {
        try (Pairs.Pair p = kind.open()) {
            byte[] big = new byte[1 << 30];
            for (int i = 0; i < big.length; i += 4096) {
                big[i] = (byte) (i >>> 12);
            }
            big[big.length - 1] = 7;
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    p.a().sendBytes(big);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] got = p.b().recvBytes();
            sender.get();
            assertEquals(big.length, got.length);
            assertTrue(java.util.Arrays.equals(big, got), "the 1 GiB message differs");
        }
    }
}
