package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * A fixed-length array of {@code double} in shared memory (Python's {@code Array('d', n)}), each element held as
 * its IEEE 754 bits, with atomic element operations across processes ({@code compareAndSet} compares bits, see
 * {@link SharedDouble}).
 *
 * <h2>Cross-process visibility</h2>
 * Every method is a volatile access or an atomic read-modify-write of one element: a write happens-before a read,
 * in any process, that sees it. Updates of several elements as one go under {@link #lock()}.
 *
 * <h2>If a participating process dies</h2>
 * Each element keeps what the dead process last wrote; no single operation is half-done.
 *
 * <p>Serializable: a copy captured by a child's target attaches the same memory there.
 */
public class SharedDoubleArray implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    private final SharedBlock block;
    private final int length;
    private transient Segment segment;

    /**
     * Makes an array of {@code length} zeros.
     *
     * @param length 0 or more
     * @throws IllegalArgumentException if negative or too long for one segment
     */
    public SharedDoubleArray(int length) {
        this.block = SharedBlock.create(Kinds.DOUBLE_ARRAY, SharedBlock.arrayBytes(length, 8));
        this.length = length;
        this.segment = block.segment();
    }

    /**
     * Makes an array holding a copy of {@code values}.
     *
     * @param values the start values
     */
    public SharedDoubleArray(double[] values) {
        this(values.length);
        for (int i = 0; i < values.length; i++) {
            set(i, values[i]);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = block.attach(Kinds.DOUBLE_ARRAY, SharedBlock.arrayBytes(length, 8));
    }

    /** @return the lock for compound updates; the same lock in every process */
    public ProcessReentrantLock lock() {
        return block.lock();
    }

    /** @return the number of elements */
    public int length() {
        return length;
    }

    private int at(int i) {
        Objects.checkIndex(i, length);
        return i * 8;
    }

    /** @return element {@code i} (volatile read) */
    public double get(int i) {
        return Double.longBitsToDouble(segment.getLongVolatile(at(i)));
    }

    /** Sets element {@code i} (volatile write). */
    public void set(int i, double newValue) {
        segment.setLongVolatile(at(i), Double.doubleToRawLongBits(newValue));
    }

    /** @return the previous value of element {@code i} */
    public double getAndSet(int i, double newValue) {
        return Double.longBitsToDouble(segment.getAndSetLong(at(i), Double.doubleToRawLongBits(newValue)));
    }

    /** @return whether element {@code i} had the bits of {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(int i, double expectedValue, double newValue) {
        return segment.compareAndSetLong(at(i), Double.doubleToRawLongBits(expectedValue),
                Double.doubleToRawLongBits(newValue));
    }

    /** @return the updated value of element {@code i}; the function may run more than once */
    public double updateAndGet(int i, DoubleUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        int at = at(i);
        while (true) {
            long bits = segment.getLongVolatile(at);
            double next = updateFunction.applyAsDouble(Double.longBitsToDouble(bits));
            if (segment.compareAndSetLong(at, bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    /** @return the previous value of element {@code i} */
    public double getAndAdd(int i, double delta) {
        int at = at(i);
        while (true) {
            long bits = segment.getLongVolatile(at);
            double prev = Double.longBitsToDouble(bits);
            if (segment.compareAndSetLong(at, bits, Double.doubleToRawLongBits(prev + delta))) {
                return prev;
            }
        }
    }

    /** @return the updated value of element {@code i} */
    public double addAndGet(int i, double delta) {
        return updateAndGet(i, v -> v + delta);
    }

    /** @return a copy of the elements (each read atomically, the whole not as one snapshot) */
    public double[] toArray() {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
