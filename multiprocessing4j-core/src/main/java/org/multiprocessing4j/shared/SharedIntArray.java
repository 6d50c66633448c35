package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * A fixed-length array of {@code int} in shared memory (Python's {@code Array('i', n)}) with the element
 * methods of {@link java.util.concurrent.atomic.AtomicIntegerArray}, atomic across processes.
 *
 * <h2>Cross-process visibility</h2>
 * Every method is a volatile access or an atomic read-modify-write on shared memory ({@code VarHandle} semantics
 * on the mapping): a write happens-before a read, in any process, that sees it. Compound updates that need more
 * than one operation go under {@link #lock()}, as with Python's {@code get_lock()}.
 *
 * <h2>If a participating process dies</h2>
 * Each element keeps what the dead process last wrote; every single operation is atomic, so none is half-done. A
 * process that dies holding {@link #lock()} passes it on (see {@code ProcessReentrantLock}).
 *
 * <p>Serializable: a copy captured by a child's target attaches the same memory there. The memory lives while its
 * creating process lives and, after that, while any process still uses it.
 */
public class SharedIntArray implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    private final SharedBlock block;
    private final int length;
    private transient Segment segment;

    /**
     * Makes an array of {@code length} zeros in a new shared-memory segment.
     *
     * @param length 0 or more
     * @throws IllegalArgumentException if negative or too long for one segment
     */
    public SharedIntArray(int length) {
        this.block = SharedBlock.create(Kinds.INT_ARRAY, SharedBlock.arrayBytes(length, 4));
        this.length = length;
        this.segment = block.segment();
    }

    /**
     * Makes an array holding a copy of {@code values}.
     *
     * @param values the start values
     */
    public SharedIntArray(int[] values) {
        this(values.length);
        for (int i = 0; i < values.length; i++) {
            set(i, values[i]);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = block.attach(Kinds.INT_ARRAY, SharedBlock.arrayBytes(length, 4));
    }

    /** @return the lock for compound updates (Python's {@code get_lock()}); the same lock in every process */
    public ProcessReentrantLock lock() {
        return block.lock();
    }

    /** @return the number of elements */
    public int length() {
        return length;
    }

    private int at(int i) {
        Objects.checkIndex(i, length);
        return i * 4;
    }

    /** @return element {@code i} (volatile read) */
    public int get(int i) {
        return segment.getIntVolatile(at(i));
    }

    /** Sets element {@code i} (volatile write). */
    public void set(int i, int newValue) {
        segment.setIntVolatile(at(i), newValue);
    }

    /** @return the previous value of element {@code i} */
    public int getAndSet(int i, int newValue) {
        return segment.getAndSetInt(at(i), newValue);
    }

    /** @return whether element {@code i} was {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(int i, int expectedValue, int newValue) {
        return segment.compareAndSetInt(at(i), expectedValue, newValue);
    }

    /** @return the previous value of element {@code i} */
    public int getAndAdd(int i, int delta) {
        return segment.getAndAddInt(at(i), delta);
    }

    /** @return the updated value of element {@code i} */
    public int addAndGet(int i, int delta) {
        return segment.getAndAddInt(at(i), delta) + delta;
    }

    /** @return the previous value of element {@code i} */
    public int getAndIncrement(int i) {
        return getAndAdd(i, 1);
    }

    /** @return the updated value of element {@code i} */
    public int incrementAndGet(int i) {
        return addAndGet(i, 1);
    }

    /** @return the previous value of element {@code i} */
    public int getAndDecrement(int i) {
        return getAndAdd(i, -1);
    }

    /** @return the updated value of element {@code i} */
    public int decrementAndGet(int i) {
        return addAndGet(i, -1);
    }

    /** @return the updated value of element {@code i}; the function may run more than once */
    public int updateAndGet(int i, IntUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            int prev = get(i);
            int next = updateFunction.applyAsInt(prev);
            if (compareAndSet(i, prev, next)) {
                return next;
            }
        }
    }

    /** @return the updated value of element {@code i}; the function may run more than once */
    public int accumulateAndGet(int i, int x, IntBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return updateAndGet(i, v -> accumulatorFunction.applyAsInt(v, x));
    }

    /** @return a copy of the elements (each read atomically, the whole not as one snapshot) */
    public int[] toArray() {
        int[] out = new int[length];
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
