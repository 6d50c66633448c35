package org.multiprocessing4j.internal.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static Bootstrap roundTrip(Bootstrap b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        return Bootstrap.readFrom(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void aSpawnedChildsLineCarriesItsWarmUpProbe() throws IOException {
        byte[] probe = new byte[3000];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (byte) (i * 31);
        }
        Bootstrap back = roundTrip(new Bootstrap("/tmp/dir with space/é.sock", new byte[] {1, 2, 3},
                Bootstrap.Mode.SPAWN, probe));
        assertEquals("/tmp/dir with space/é.sock", back.socketPath());
        assertArrayEquals(new byte[] {1, 2, 3}, back.secret());
        assertEquals(Bootstrap.Mode.SPAWN, back.mode());
        assertArrayEquals(probe, back.payload());
    }

    @Test
    void aReadyJvmsLineHasNoProbe() throws IOException {
        Bootstrap back = roundTrip(new Bootstrap("/s", new byte[] {9}, Bootstrap.Mode.READY, new byte[0]));
        assertEquals(Bootstrap.Mode.READY, back.mode());
        assertEquals(0, back.payload().length);
    }

    @Test
    void aDirectLineCarriesTheWholeAssign() throws IOException {
        byte[] process = new byte[5000];
        for (int i = 0; i < process.length; i++) {
            process[i] = (byte) (i * 7);
        }
        ControlMessage.Assign assign = new ControlMessage.Assign(process, "ChildProcess-3", true, new byte[] {4, 5},
                "MainProcess", 42);
        byte[] payload = ControlMessage.encode(assign);
        assertTrue(Bootstrap.fitsDirect(payload));
        ControlMessage.Assign back = roundTrip(new Bootstrap("/s", new byte[] {9}, Bootstrap.Mode.DIRECT, payload))
                .assign();
        assertArrayEquals(process, back.process());
        assertEquals("ChildProcess-3", back.name());
        assertTrue(back.daemon());
        assertArrayEquals(new byte[] {4, 5}, back.authKey());
        assertEquals(42, back.parentPid());
        assertFalse(Bootstrap.fitsDirect(new byte[64 * 1024]), "a process larger than a pipe's buffer goes by socket");
        IOException notDirect = assertThrows(IOException.class,
                () -> new Bootstrap("/s", new byte[] {9}, Bootstrap.Mode.READY, new byte[0]).assign());
        assertTrue(notDirect.getMessage().contains("carries no process"), notDirect.getMessage());
    }

    @Test
    void aLineFromAnotherVersionOrNoLineIsRefusedClearly() {
        IOException old = assertThrows(IOException.class, () -> Bootstrap.readFrom(
                new ByteArrayInputStream("mp4j1 AA BB ready\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(old.getMessage().contains("malformed bootstrap line"), old.getMessage());
        IOException none = assertThrows(IOException.class, () -> Bootstrap.readFrom(new ByteArrayInputStream(
                new byte[0])));
        assertTrue(none.getMessage().contains("not by hand"), none.getMessage());
    }
}
