package org.multiprocessing4j.internal.pipe;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.connection.BufferTooShortException;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.wait.Awaitable;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * One process's copy of one end of a shared-memory pipe. Serializable: the copy travels as the segment's name and
 * the end ({@link Ref}), counts as pending from the moment it is serialized, and becomes an open copy of the
 * process that deserializes it (see {@link Holders}).
 */
public final class PipeEnd implements Connection, Awaitable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_MESSAGE = Integer.MAX_VALUE - 8;

    private final transient SharedPipe pipe;
    private final transient int end;
    private final transient boolean readable;
    private final transient boolean writable;
    /** Bit 31: closed; the rest: calls in flight, which keep the mapping until they have left. */
    private final transient AtomicInteger state = new AtomicInteger();
    private transient volatile String unreadable;

    private PipeEnd(SharedPipe pipe, int end, boolean readable, boolean writable) {
        this.pipe = pipe;
        this.end = end;
        this.readable = readable;
        this.writable = writable;
    }

    /**
     * Makes a pipe: its segment and this process's copy of each end.
     *
     * @param duplex whether both ends send and receive
     * @return {left, right}: left receives, right sends (and the other way round when duplex)
     */
    public static PipeEnd[] open(boolean duplex) {
        SharedPipe pipe = SharedPipe.create(duplex, PipeLayout.CAPACITY);
        PipeEnd left = new PipeEnd(pipe, 0, true, duplex);
        PipeEnd right = new PipeEnd(pipe, 1, duplex, true);
        pipe.retain();
        pipe.retain();
        pipe.holders().addCopy(0, 1);
        pipe.holders().addCopy(1, 1);
        return new PipeEnd[] {left, right};
    }

    /**
     * Makes a two-way pipe that only this process uses (the rehearsal of a JVM started ahead of time): its
     * segment's name is deleted at once, so nothing of it outlives this process, even one that is killed. Its ends
     * cannot be sent to another process.
     *
     * @return {left, right}
     */
    public static PipeEnd[] openPrivate() {
        PipeEnd[] ends = open(true);
        ends[0].pipe.unlinkName();
        return ends;
    }

    /** @return the name of the pipe's segment */
    public String segmentName() {
        return pipe.name();
    }

    @Override
    public void send(Object obj) throws IOException {
        byte[] bytes = JdkCodec.INSTANCE.encode(obj);
        enter();
        try {
            checkWritable();
            pipe.writeRing(end).write(bytes, 0, bytes.length, this::isClosed);
        } finally {
            exit();
        }
    }

    @Override
    public void sendBytes(byte[] buf, int off, int size) throws IOException {
        Objects.checkFromIndexSize(off, size, buf.length);
        enter();
        try {
            checkWritable();
            pipe.writeRing(end).write(buf, off, size, this::isClosed);
        } finally {
            exit();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() throws IOException {
        byte[] bytes = recvBytes();
        return (T) JdkCodec.INSTANCE.decode(bytes, JdkCodec.receiverLoader());
    }

    @Override
    public byte[] recvBytes() throws IOException {
        return recvBytes(MAX_MESSAGE);
    }

    @Override
    public byte[] recvBytes(int maxLength) throws IOException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength: maxLength=" + maxLength);
        }
        Object got;
        enter();
        try {
            checkReadable();
            got = pipe.readRing(end).read((length, reader) -> {
                if (length > maxLength) {
                    skip(length, reader);
                    return length;
                }
                byte[] message = new byte[length];
                reader.read(message, 0, length);
                return message;
            }, this::isClosed);
        } finally {
            exit();
        }
        if (got instanceof Integer) {
            unreadable = "a message was longer than maxLength (length=" + got + " maxLength=" + maxLength
                    + "); it was skipped";
            throw new IOException("bad message length: length=" + got + " maxLength=" + maxLength
                    + "; the connection is no longer readable");
        }
        return (byte[]) got;
    }

    private static void skip(int length, ShmRing.Reader reader) throws IOException {
        byte[] scratch = new byte[Math.min(length, 1 << 16)];
        for (int left = length; left > 0; left -= scratch.length) {
            reader.read(scratch, 0, Math.min(left, scratch.length));
        }
    }

    @Override
    public int recvBytesInto(byte[] buf, int off) throws IOException {
        Objects.checkIndex(off, buf.length + 1);
        int room = buf.length - off;
        Object got;
        enter();
        try {
            checkReadable();
            got = pipe.readRing(end).read((length, reader) -> {
                if (length > room) {
                    byte[] message = new byte[length];
                    reader.read(message, 0, length);
                    return message;
                }
                reader.read(buf, off, length);
                return length;
            }, this::isClosed);
        } finally {
            exit();
        }
        if (got instanceof byte[]) {
            throw new BufferTooShortException((byte[]) got, room);
        }
        return (Integer) got;
    }

    @Override
    public boolean poll(Duration timeout) throws IOException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        enter();
        try {
            checkReadable();
            return pipe.readRing(end).poll(deadline, this::isClosed);
        } finally {
            exit();
        }
    }

    /**
     * Tells, without waiting, taking a lock or checking the peer's liveness, whether a message has arrived or
     * started to arrive: for callers that spin on their own before a {@code recv…} (whose wait then finds it at
     * once). {@code false} once this copy is closed; end of stream and failures are for {@code recv…} to say.
     *
     * @return whether unread bytes wait in this end's ring
     */
    @Override
    public boolean hasData() {
        if (!readable) {
            return false;
        }
        try {
            enter();
        } catch (IOException e) {
            return false;
        }
        try {
            return pipe.readRing(end).hasData();
        } finally {
            exit();
        }
    }

    @Override
    public WaitQueue arrivals() throws IOException {
        if (isClosed()) {
            throw new IOException("connection is closed (by this process)");
        }
        checkReadable();
        return pipe.readRing(end).dataQueue();
    }

    /** @return the ring this end reads: for tests of this package, which look at its state */
    ShmRing readRing() {
        return pipe.readRing(end);
    }

    /** Counts a call in flight, so that close() in another thread leaves the mapping until it has left. */
    private void enter() throws IOException {
        int s;
        do {
            s = state.get();
            if (s < 0) {
                throw new IOException("connection is closed (by this process)");
            }
        } while (!state.compareAndSet(s, s + 1));
    }

    private void exit() {
        if (state.decrementAndGet() == Integer.MIN_VALUE) {
            pipe.release();
        }
    }

    private void checkReadable() throws IOException {
        if (!readable) {
            throw new IOException("connection is write-only (the right end of a one-way pipe sends; left() receives)");
        }
        String why = unreadable;
        if (why != null) {
            throw new IOException("connection is not readable: " + why);
        }
    }

    private void checkWritable() throws IOException {
        if (!writable) {
            throw new IOException("connection is read-only (the left end of a one-way pipe receives; right() sends)");
        }
    }

    @Override
    public boolean isClosed() {
        return state.get() < 0;
    }

    @Override
    public boolean isReadable() {
        return readable && unreadable == null;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void close() {
        int s = state.getAndUpdate(x -> x | Integer.MIN_VALUE);
        if (s < 0) {
            return;
        }
        pipe.holders().addCopy(end, -1);
        pipe.wakeAll();
        if (s == 0) {
            pipe.release();
        }
    }

    @Override
    public String toString() {
        return "PipeEnd[" + (end == 0 ? "left" : "right") + " of " + pipe.name() + (isClosed() ? ", closed]" : "]");
    }

    /**
     * Serializes this copy as a {@link Ref}; from now on the copy counts as held (pending) until a process
     * deserializes it.
     *
     * @return the reference
     * @throws ObjectStreamException if this copy is closed
     */
    private Object writeReplace() throws ObjectStreamException {
        try {
            enter();
        } catch (IOException e) {
            throw new NotSerializableException(PipeEnd.class.getName() + ": a closed pipe end cannot be handed on");
        }
        try {
            pipe.holders().addPending(end);
            return new Ref(pipe.name(), end, readable, writable, ProcessIdentity.selfPid(),
                    ProcessIdentity.selfStart());
        } finally {
            exit();
        }
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a pipe end travels as its Ref");
    }

    /**
     * The serialized form of a pipe end: the pipe's segment name, which end (0 = left, 1 = right), its direction,
     * and the pid and start time of the process that serialized it. A plain class rather than a record: a young
     * JVM's first record deserialization bootstraps method handles for the canonical constructor, ~30 ms here,
     * which every child that receives a pipe end (a manager's server, first of all) paid on its start path.
     */
    static final class Ref implements Serializable {
        private static final long serialVersionUID = 2L;

        private final String segment;
        private final int end;
        private final boolean readable;
        private final boolean writable;
        private final long senderPid;
        private final long senderStart;

        Ref(String segment, int end, boolean readable, boolean writable, long senderPid, long senderStart) {
            this.segment = segment;
            this.end = end;
            this.readable = readable;
            this.writable = writable;
            this.senderPid = senderPid;
            this.senderStart = senderStart;
        }

        private Object readResolve() throws ObjectStreamException {
            if (segment == null || (end & ~1) != 0) {
                throw new InvalidObjectException("not a pipe end: segment=" + segment + " end=" + end);
            }
            SharedPipe pipe;
            try {
                pipe = SharedPipe.attach(segment);
            } catch (IllegalArgumentException | IllegalStateException e) {
                InvalidObjectException ex = new InvalidObjectException("the pipe is gone: every process that held "
                        + "it has ended or let go (segment=" + segment + "): " + e.getMessage());
                ex.initCause(e);
                throw ex;
            }
            pipe.retain();
            pipe.holders().addCopy(end, 1);
            pipe.holders().claimPending(end, senderPid, senderStart);
            return new PipeEnd(pipe, end, readable, writable);
        }
    }
}
