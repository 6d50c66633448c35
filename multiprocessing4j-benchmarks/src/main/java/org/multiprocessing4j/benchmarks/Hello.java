package org.multiprocessing4j.benchmarks;

/**
 * The physical floor of a child JVM: {@code java -cp <benchmarks jar> Hello} prints {@link System#nanoTime()} as
 * the first thing its {@code main} does, and ends. Nothing else may be loaded here.
 */
public final class Hello {
    private Hello() {
    }

    /**
     * Prints the time main was entered.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        long t = System.nanoTime();
        System.out.println(t);
    }
}
