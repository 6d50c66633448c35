package org.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.os.Nonces;

class HmacSha256Test {
    @Test
    void sha256MatchesTheStandardVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(HmacSha256.sha256("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(HmacSha256.sha256()));
    }

    @Test
    void matchesTheJdkOnRandomKeysAndMessagesOfEveryLengthAroundTheBlockSize() throws Exception {
        Random random = new Random(42);
        for (int length = 0; length < 300; length++) {
            byte[] key = new byte[1 + random.nextInt(150)];
            byte[] message = new byte[length];
            random.nextBytes(key);
            random.nextBytes(message);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] split = new byte[length / 3];
            byte[] rest = new byte[length - split.length];
            System.arraycopy(message, 0, split, 0, split.length);
            System.arraycopy(message, split.length, rest, 0, rest.length);
            assertArrayEquals(jdk.doFinal(message), HmacSha256.mac(key, split, rest), "length=" + length);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(message), HmacSha256.sha256(message));
        }
    }

    @Test
    void noncesAreRandomAndOfTheAskedSize() {
        byte[] a = Nonces.random(32);
        byte[] b = Nonces.random(32);
        assertEquals(32, a.length);
        assertEquals(false, java.util.Arrays.equals(a, b));
    }
}
