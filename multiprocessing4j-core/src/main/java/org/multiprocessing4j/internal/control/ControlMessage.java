package org.multiprocessing4j.internal.control;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;

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
     * @param parentName the parent's process name
     * @param parentPid the parent's pid
     */
    record Assign(byte[] process, String parentName, long parentPid) implements ControlMessage {
        static final byte KIND = 1;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(DataOutputStream out) throws IOException {
            out.writeUTF(parentName);
            out.writeLong(parentPid);
            out.writeInt(process.length);
            out.write(process);
        }

        static Assign read(DataInputStream in) throws IOException {
            String parentName = in.readUTF();
            long parentPid = in.readLong();
            byte[] process = new byte[in.readInt()];
            in.readFully(process);
            return new Assign(process, parentName, parentPid);
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

    /**
     * Encodes a message as the payload of one frame.
     *
     * @param message the message
     * @return the payload
     */
    static byte[] encode(ControlMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(message.kind());
            message.writeFields(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        return bytes.toByteArray();
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
