package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.launch.OwnJit;
import org.multiprocessing4j.internal.pool.protocol.Items;

/**
 * The main class of a JVM that EarlyJitTest watches compile: it calls a method of the pool that the JIT settings leave
 * to C1 ({@code Dispatcher.depthFor}) and one that they keep for C2 ({@code Items.readInts}) often enough for C2 to
 * take both. With the argument {@code own}, it first gives its own JIT the library's settings as a pool's caller does
 * ({@code OwnJit}), and exits with 3 if they were not taken.
 */
public final class JitLevelProbe {
    private JitLevelProbe() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("own") && !OwnJit.install()) {
            System.exit(3);
        }
        byte[] ints = new byte[5 + 4 * 8];
        int[] out = new int[8];
        long sum = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 2_000_000 || System.nanoTime() < end && i < 20_000_000; i++) {
            sum += Dispatcher.depthFor(i % 3 == 0 ? -1 : i);
            ints[5 + (i & 31)] = (byte) i;
            Items.readInts(ints, out, 0);
            sum += out[i & 7];
        }
        System.out.println("sum " + sum);
    }
}
