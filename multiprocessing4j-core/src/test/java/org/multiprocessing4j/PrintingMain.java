package org.multiprocessing4j;

/** A main program started by a test with plain {@code java -cp}: its child prints to the inherited console. */
public final class PrintingMain {
    private PrintingMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("log")) {
            Multiprocessing.logToStderr();
        }
        ChildProcess p = new ChildProcess(() -> {
            System.out.println("hello from " + Multiprocessing.currentProcess().name());
            System.err.println("stderr from " + Multiprocessing.currentProcess().name());
        });
        p.start();
        p.join();
        System.out.println("parent done exitCode=" + p.exitCode());
    }
}
