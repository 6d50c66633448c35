package org.multiprocessing4j.manager;

/** A registered type that reports on the server's JVM. */
public interface Probe {
    String property(String name);

    long pid();

    /** The server's implementation. */
    final class Impl implements Probe {
        @Override
        public String property(String name) {
            return System.getProperty(name);
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }
    }
}
