package org.multiprocessing4j.manager;

/**
 * One value held by a manager: Python's {@code Manager().Value(typecode, v)}. Each call is one atomic operation on
 * the server; compound updates use {@link #compareAndSet}.
 *
 * @param <T> the value's type (serializable)
 */
public interface ManagedValue<T> {
    /** @return the value (a copy) */
    T get();

    /** @param value the new value */
    void set(T value);

    /**
     * Sets the value if it {@link Object#equals equals} {@code expected}.
     *
     * @param expected the value expected
     * @param value the new value
     * @return whether it was set
     */
    boolean compareAndSet(T expected, T value);
}
