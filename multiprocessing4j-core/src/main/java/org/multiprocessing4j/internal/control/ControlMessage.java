package org.multiprocessing4j.internal.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * The messages of the control channel between a parent and one child JVM, after the hand-shake.
 *
 * <pre>
 * Overview: each message is one frame whose first byte is its kind.
 *   parent -> child  ASSIGN   (1)  the process to run: its serialized ChildProcess, the parent's name and pid
 *   child  -> parent EXITING  (2)  how the child is ending: a Reason and a code
 * A child started ahead of time receives ASSIGN only when a start() takes it; end of stream before ASSIGN
 * tells it to exit. End of stream after ASSIGN tells a child that its parent is gone.
 * </pre>
 */
public sealed interface ControlMessage permits ControlMessage.Assign, ControlMessage.Exiting {

    /** The kind byte that opens the frame. */
    byte kind();

    /** Writes the fields after the kind byte. */
    void writeFields(DataOutputStream out) throws IOException;

    /**
     * The process a child JVM is to run.
     *
     * @param process the serialized {@code ChildProcess}, target included
     * @param name the process's name, known before {@code process} is deserialized (static initializers of the
     *     task's classes run during that and may ask for the current process)
     * @param daemon whether the process is a daemon
     * @param authKey the process's auth key
     * @param parentName the parent's process name
     * @param parentPid the parent's pid
     */
    record Assign(byte[] process, String name, boolean daemon, byte[] authKey, String parentName, long parentPid)
            implements ControlMessage {
        static final byte KIND = 1;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeUTF(name);
            out.writeBoolean(daemon);
            writeBytes(out, authKey);
            out.writeUTF(parentName);
            out.writeLong(parentPid);
            writeBytes(out, process);
        }

        static Assign read(DataInputStream in) throws IOException {
            String name = in.readUTF();
            boolean daemon = in.readBoolean();
            byte[] authKey = readBytes(in);
            String parentName = in.readUTF();
            long parentPid = in.readLong();
            return new Assign(readBytes(in), name, daemon, authKey, parentName, parentPid);
        }
    }

    /**
     * How a child is ending, sent before its JVM exits so that the parent can tell a death by signal from an exit
     * code that merely looks like one (the JDK reports both as {@code 128 + N}).
     *
     * @param reason what happened
     * @param code the exit code the child is about to exit with, or the signal number for {@link Reason#SIGNALLED}
     */
    record Exiting(Reason reason, int code) implements ControlMessage {
        static final byte KIND = 2;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeByte(reason.ordinal());
            out.writeInt(code);
        }

        static Exiting read(DataInputStream in) throws IOException {
            int reason = in.readUnsignedByte();
            if (reason >= Reason.values().length) {
                throw new StreamCorruptedException("unknown exit reason: reason=" + reason);
            }
            return new Exiting(Reason.values()[reason], in.readInt());
        }
    }

    /** Why a child is ending. */
    enum Reason {
        /** The target returned; the JVM exits once the child's non-daemon threads have ended. */
        RETURNED,
        /** The target threw; the child exits with code 1. */
        RAISED,
        /** A signal (number in {@code code}) is ending the child. */
        SIGNALLED,
        /** The JVM is shutting down in order (shutdown hooks run): its exit code is the real one. */
        ORDERLY
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new StreamCorruptedException("byte field length out of range: length=" + length
                    + " available=" + in.available());
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Encodes a message as a whole frame: its length ({@code Frames}), then the kind and the fields, so that the
     * sender writes it with one call.
     *
     * @param message the message
     * @return the frame
     */
    static byte[] encodeFrame(ControlMessage message) {
        ByteSink bytes = new ByteSink(message instanceof Assign a ? a.process().length + 128 : 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0); // the length, filled in below
            out.writeByte(message.kind());
            message.writeFields(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        byte[] frame = bytes.toByteArray();
        Frames.putInt(frame, 0, frame.length - 4);
        return frame;
    }

    /**
     * Encodes and decodes a message within this JVM. A JVM started ahead of time rehearses the ASSIGN it waits for,
     * so that the real one, the first message its main thread decodes, runs code whose constant pool entries are
     * resolved already.
     *
     * @param message a message
     * @return its copy
     * @throws IOException never, for a well-formed message
     */
    static ControlMessage rehearse(ControlMessage message) throws IOException {
        return decode(encode(message));
    }

    /**
     * Encodes a message without the frame's length, as a {@link Bootstrap} carries an ASSIGN.
     *
     * @param message the message
     * @return what {@link #decode} reads back
     */
    static byte[] encode(ControlMessage message) {
        byte[] frame = encodeFrame(message);
        return Arrays.copyOfRange(frame, 4, frame.length);
    }

    /**
     * Decodes the payload of one frame.
     *
     * @param payload the payload
     * @return the message
     * @throws IOException if the payload is not a control message
     */
    static ControlMessage decode(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            byte kind = in.readByte();
            switch (kind) {
                case Assign.KIND:
                    return Assign.read(in);
                case Exiting.KIND:
                    return Exiting.read(in);
                default:
                    throw new StreamCorruptedException("unknown control message: kind=" + kind
                            + " length=" + payload.length);
            }
        }
    }
}
