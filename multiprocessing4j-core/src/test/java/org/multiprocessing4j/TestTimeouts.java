package org.multiprocessing4j;

import java.time.Duration;

/**
 * Every delay the tests use, scaled by one factor ({@code -Dmp4j.test.scale=N}, default 1) for slow machines.
 * Tests never assert that something was fast: these are upper bounds for waits that must end.
 */
public final class TestTimeouts {
    private static final double SCALE = Double.parseDouble(System.getProperty("mp4j.test.scale", "1"));

    /** How long a child may take to do something small (start, print, exit). */
    public static final Duration CHILD_STEP = scaled(20_000);
    /** How long a child that should notice its parent's death may take (the contract says 2 s). */
    public static final Duration PARENT_DEATH_NOTICED = scaled(2_000);
    /** A short pause that lets a child reach a blocking call. */
    public static final Duration SETTLE = scaled(300);

    private TestTimeouts() {
    }

    private static Duration scaled(long millis) {
        return Duration.ofMillis((long) (millis * SCALE));
    }
}
