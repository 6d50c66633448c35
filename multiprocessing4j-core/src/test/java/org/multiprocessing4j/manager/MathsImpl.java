package org.multiprocessing4j.manager;

/** The server's {@link Maths}. */
public final class MathsImpl implements Maths {
    @Override
    public int add(int a, int b) {
        return a + b;
    }

    @Override
    public int divide(int a, int b) {
        return a / b;
    }

    @Override
    public Counter counter(String name) {
        return new Counter() {
            private int n;

            @Override
            public synchronized int increment() {
                return ++n;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
