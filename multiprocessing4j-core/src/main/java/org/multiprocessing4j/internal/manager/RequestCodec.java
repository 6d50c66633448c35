package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * The bytes of {@link Request}s and {@link Reply}s: one message ({@code sendBytes}) each.
 *
 * <pre>
 * Overview (big-endian; VALUE = i32 length + the value as {@link JdkCodec} encodes it, whose fast paths make a
 * String or a boxed primitive a few bytes):
 *   Call      1, object i32, method u16, thread i64, argc u8, VALUE * argc
 *   Create    2, type STR, argc u8, VALUE * argc           STR = i32 length + UTF-8
 *   Named     3, type STR, name STR
 *   Adopt     4, object i32
 *   Batch     5, count i32, then count Call bodies (without their kind byte)
 *   Shutdown  6
 *   Release   7, object i32, count i32
 *   Reply     0 + value (JdkCodec) | 1 + throwable (JdkCodec) | 2 + count i32 + VALUE * count (a batch's results)
 * A frame that does not parse is refused with StreamCorruptedException; the server then drops that connection.
 * </pre>
 */
public final class RequestCodec {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;

    private RequestCodec() {
    }

    /**
     * @param r the request
     * @return its bytes
     * @throws java.io.NotSerializableException if an argument is not serializable
     * @throws IOException if an argument cannot be encoded
     */
    public static byte[] encode(Request r) throws IOException {
        Out out = new Out();
        if (r instanceof Request.Call c) {
            out.u8(1);
            call(out, c);
        } else if (r instanceof Request.Create c) {
            out.u8(2).str(c.type()).values(c.args());
        } else if (r instanceof Request.Named n) {
            out.u8(3).str(n.type()).str(n.name());
        } else if (r instanceof Request.Adopt a) {
            out.u8(4).i32(a.object());
        } else if (r instanceof Request.Release rel) {
            out.u8(7).i32(rel.object()).i32(rel.count());
        } else if (r instanceof Request.Batch b) {
            out.u8(5).i32(b.calls().size());
            for (Request.Call c : b.calls()) {
                call(out, c);
            }
        } else {
            out.u8(6);
        }
        return out.bytes();
    }

    private static void call(Out out, Request.Call c) throws IOException {
        out.i32(c.object());
        out.ensure(10);
        out.buf.putShort((short) c.method()).putLong(c.thread());
        out.values(c.args());
    }

    /**
     * @param frame a request's bytes
     * @param loader where argument classes load from
     * @return the request
     * @throws StreamCorruptedException if the frame does not parse
     * @throws IOException if an argument cannot be decoded (refused by the filter, class missing)
     */
    public static Request decode(byte[] frame, ClassLoader loader) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(frame);
        try {
            int kind = in.get();
            switch (kind) {
                case 1:
                    return call(in, loader);
                case 2:
                    return new Request.Create(str(in), values(in, loader));
                case 3:
                    return new Request.Named(str(in), str(in));
                case 4:
                    return new Request.Adopt(in.getInt());
                case 5: {
                    int n = in.getInt();
                    if (n < 0 || n > in.remaining()) {
                        throw new StreamCorruptedException("bad batch size: count=" + n);
                    }
                    List<Request.Call> calls = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        calls.add(call(in, loader));
                    }
                    return new Request.Batch(calls);
                }
                case 6:
                    return new Request.Shutdown();
                case 7:
                    return new Request.Release(in.getInt(), in.getInt());
                default:
                    throw new StreamCorruptedException("unknown request kind: kind=" + kind + " length="
                            + frame.length);
            }
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new StreamCorruptedException("truncated request: length=" + frame.length);
        }
    }

    private static Request.Call call(ByteBuffer in, ClassLoader loader) throws IOException {
        int object = in.getInt();
        int method = in.getShort() & 0xffff;
        long thread = in.getLong();
        return new Request.Call(object, method, thread, values(in, loader));
    }

    /**
     * @param reply the reply
     * @return its bytes
     * @throws IOException if the value cannot be encoded
     */
    public static byte[] encode(Reply reply) throws IOException {
        if (reply instanceof Reply.Values vs) {
            Out out = new Out();
            out.u8(2).i32(vs.values().size());
            for (Object v : vs.values()) {
                out.value(v);
            }
            return out.bytes();
        }
        boolean ok = reply instanceof Reply.Value;
        byte[] body = CODEC.encode(ok ? ((Reply.Value) reply).value() : ((Reply.Failure) reply).failure());
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) (ok ? 0 : 1);
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * @param frame a reply's bytes
     * @param loader where classes load from
     * @return the reply
     * @throws IOException if it does not decode
     */
    public static Reply decodeReply(byte[] frame, ClassLoader loader) throws IOException {
        if (frame.length < 2) {
            throw new StreamCorruptedException("truncated reply: length=" + frame.length);
        }
        if (frame[0] == 2) {
            ByteBuffer in = ByteBuffer.wrap(frame, 1, frame.length - 1);
            try {
                int n = in.getInt();
                if (n < 0 || n > in.remaining()) {
                    throw new StreamCorruptedException("bad result count: count=" + n);
                }
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(value(in, loader));
                }
                return new Reply.Values(values);
            } catch (BufferUnderflowException e) {
                throw new StreamCorruptedException("truncated reply: length=" + frame.length);
            }
        }
        Object v = CODEC.decode(Arrays.copyOfRange(frame, 1, frame.length), loader);
        if (frame[0] == 0) {
            return new Reply.Value(v);
        }
        if (v instanceof Throwable t) {
            return new Reply.Failure(t);
        }
        throw new StreamCorruptedException("bad reply: status=" + frame[0]);
    }

    private static String str(ByteBuffer in) throws StreamCorruptedException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new StreamCorruptedException("bad string length: length=" + n);
        }
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static Object[] values(ByteBuffer in, ClassLoader loader) throws IOException {
        int n = in.get() & 0xff;
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            args[i] = value(in, loader);
        }
        return args;
    }

    private static Object value(ByteBuffer in, ClassLoader loader) throws IOException {
        int len = in.getInt();
        if (len < 1 || len > in.remaining()) {
            throw new StreamCorruptedException("bad value length: length=" + len);
        }
        byte[] b = Arrays.copyOfRange(in.array(), in.position(), in.position() + len);
        in.position(in.position() + len);
        return CODEC.decode(b, loader);
    }

    /** A growable big-endian buffer. */
    private static final class Out {
        ByteBuffer buf = ByteBuffer.allocate(64);

        void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer b = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                b.put(buf);
                buf = b;
            }
        }

        Out u8(int v) {
            ensure(1);
            buf.put((byte) v);
            return this;
        }

        Out i32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + b.length);
            buf.putInt(b.length).put(b);
            return this;
        }

        Out values(Object[] args) throws IOException {
            int n = args == null ? 0 : args.length;
            if (n > 255) {
                throw new IllegalArgumentException("too many arguments: count=" + n);
            }
            u8(n);
            for (int i = 0; i < n; i++) {
                value(args[i]);
            }
            return this;
        }

        Out value(Object v) throws IOException {
            byte[] b = CODEC.encode(v);
            ensure(4 + b.length);
            buf.putInt(b.length).put(b);
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }
}
