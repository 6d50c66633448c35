package org.multiprocessing4j.manager;

/** A registered type that {@link Maths} returns: a proxy, not a copy. */
public interface Counter {
    int increment();

    String name();
}
