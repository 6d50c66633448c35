package org.multiprocessing4j.benchmarks;

/** The tasks of the pool benches, in a small class of their own (as Python's module-level functions). */
final class PoolTargets {
    private PoolTargets() {
    }

    /** Python's {@code inc}. */
    static int inc(int x) {
        return x + 1;
    }

    /** Python's {@code sumsq}: the sum of squares below n (a long, as Python's unbounded int). */
    static long sumsq(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += (long) i * i;
        }
        return s;
    }
}
