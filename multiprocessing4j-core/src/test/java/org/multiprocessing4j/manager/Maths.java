package org.multiprocessing4j.manager;

/** A registered type of the tests. */
public interface Maths {
    int add(int a, int b);

    int divide(int a, int b);

    Counter counter(String name);
}
