package org.multiprocessing4j.internal.memory;

/**
 * A main program started by a test with plain {@code java -cp}: creates a segment, closes it, prints its name and
 * ends, with no other process to sweep after it.
 */
public final class CreateCloseMain {
    private CreateCloseMain() {
    }

    public static void main(String[] args) {
        Segment s = Segment.create(4096, 0);
        System.out.println(s.name());
        s.close();
    }
}
