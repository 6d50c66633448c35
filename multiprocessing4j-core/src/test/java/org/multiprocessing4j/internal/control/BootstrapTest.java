package org.multiprocessing4j.internal.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Bootstrap back = roundTrip(new Bootstrap("/tmp/dir with space/é.sock", new byte[] {1, 2, 3}, false, probe));
        assertEquals("/tmp/dir with space/é.sock", back.socketPath());
        assertArrayEquals(new byte[] {1, 2, 3}, back.secret());
        assertEquals(false, back.ready());
        assertArrayEquals(probe, back.warmup());
    }

    @Test
    void aReadyJvmsLineHasNoProbe() throws IOException {
        Bootstrap back = roundTrip(new Bootstrap("/s", new byte[] {9}, true, new byte[0]));
        assertEquals(true, back.ready());
        assertEquals(0, back.warmup().length);
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
