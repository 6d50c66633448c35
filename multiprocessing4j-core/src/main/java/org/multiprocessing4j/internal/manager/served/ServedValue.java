package org.multiprocessing4j.internal.manager.served;

import java.util.Objects;
import org.multiprocessing4j.manager.ManagedValue;

/** The server's object behind {@code Manager.value(initial)}. @param <T> the value's type */
public final class ServedValue<T> implements ManagedValue<T> {
    private T value;

    /** @param initial the first value */
    public ServedValue(T initial) {
        this.value = initial;
    }

    @Override
    public synchronized T get() {
        return value;
    }

    @Override
    public synchronized void set(T v) {
        value = v;
    }

    @Override
    public synchronized boolean compareAndSet(T expected, T v) {
        if (!Objects.equals(value, expected)) {
            return false;
        }
        value = v;
        return true;
    }

    @Override
    public synchronized String toString() {
        return "Value(" + value + ")";
    }
}
