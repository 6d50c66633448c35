package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.codec.ByteSink;
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
 * The hot path (a call's request and its value reply) is written into a connection's reused {@link ByteSink}
 * and read in place from the array the frame was received into: no buffer, no copy and no request object of its
 * own for String and boxed-primitive values.
 * </pre>
 */
public final class RequestCodec {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;
    static final int CALL = 1;
    static final int SHUTDOWN = 6;
    static final int VALUE = 0;
    static final int FAILURE = 1;
    static final int VALUES = 2;

    private RequestCodec() {
    }

    /**
     * @param r the request
     * @return its bytes
     * @throws java.io.NotSerializableException if an argument is not serializable
     * @throws IOException if an argument cannot be encoded
     */
    public static byte[] encode(Request r) throws IOException {
        ByteSink out = new ByteSink(64, 64 * 1024);
        write(r, out);
        return out.toByteArray();
    }

    /**
     * Writes a request as the frame in {@code out}.
     *
     * @param r the request
     * @param out the buffer, reset first
     * @throws IOException as {@link #encode(Request)}
     */
    static void write(Request r, ByteSink out) throws IOException {
        out.reset();
        if (r instanceof Request.Call c) {
            writeCall(out, c.object(), c.method(), c.thread(), c.args());
        } else if (r instanceof Request.Create c) {
            out.putByte(2).putString(c.type());
            values(out, c.args());
        } else if (r instanceof Request.Named n) {
            out.putByte(3).putString(n.type()).putString(n.name());
        } else if (r instanceof Request.Adopt a) {
            out.putByte(4).putInt(a.object());
        } else if (r instanceof Request.Release rel) {
            out.putByte(7).putInt(rel.object()).putInt(rel.count());
        } else if (r instanceof Request.Batch b) {
            out.putByte(5).putInt(b.calls().size());
            for (Request.Call c : b.calls()) {
                body(out, c.object(), c.method(), c.thread(), c.args());
            }
        } else {
            out.putByte(SHUTDOWN);
        }
    }

    /**
     * Writes a {@link Request.Call} as the frame in {@code out}, without making the request object.
     *
     * @param out the buffer (reset by the caller)
     * @param object the object's id
     * @param method the method's number
     * @param thread the calling thread's id
     * @param args the arguments, or {@code null}
     * @throws IOException as {@link #encode(Request)}
     */
    static void writeCall(ByteSink out, int object, int method, long thread, Object[] args) throws IOException {
        out.putByte(CALL);
        body(out, object, method, thread, args);
    }

    private static void body(ByteSink out, int object, int method, long thread, Object[] args)
            throws IOException {
        out.putInt(object).putShort(method).putLong(thread);
        values(out, args);
    }

    private static void values(ByteSink out, Object[] args) throws IOException {
        int n = args == null ? 0 : args.length;
        if (n > 255) {
            throw new IllegalArgumentException("too many arguments: count=" + n);
        }
        out.putByte(n);
        for (int i = 0; i < n; i++) {
            out.putValue(args[i]);
        }
    }

    /**
     * @param frame a request's bytes
     * @param loader where argument classes load from
     * @return the request
     * @throws StreamCorruptedException if the frame does not parse
     * @throws IOException if an argument cannot be decoded (refused by the filter, class missing)
     */
    public static Request decode(byte[] frame, ClassLoader loader) throws IOException {
        return decode(frame, frame.length, loader);
    }

    /**
     * @param frame an array whose first {@code length} bytes are a request
     * @param length the request's length
     * @param loader where argument classes load from
     * @return the request
     * @throws StreamCorruptedException if the frame does not parse
     * @throws IOException if an argument cannot be decoded (refused by the filter, class missing)
     */
    static Request decode(byte[] frame, int length, ClassLoader loader) throws IOException {
        In in = new In(frame, length);
        int kind = in.u8();
        switch (kind) {
            case CALL:
                return call(in, loader);
            case 2:
                return new Request.Create(in.str(), values(in, loader));
            case 3:
                return new Request.Named(in.str(), in.str());
            case 4:
                return new Request.Adopt(in.i32());
            case 5: {
                int n = in.i32();
                if (n < 0 || n > in.remaining()) {
                    throw new StreamCorruptedException("bad batch size: count=" + n);
                }
                List<Request.Call> calls = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    calls.add(call(in, loader));
                }
                return new Request.Batch(calls);
            }
            case SHUTDOWN:
                return new Request.Shutdown();
            case 7:
                return new Request.Release(in.i32(), in.i32());
            default:
                throw new StreamCorruptedException("unknown request kind: kind=" + kind + " length=" + length);
        }
    }

    private static Request.Call call(In in, ClassLoader loader) throws IOException {
        int object = in.i32();
        int method = in.u16();
        long thread = in.i64();
        return new Request.Call(object, method, thread, values(in, loader));
    }

    /**
     * @param reply the reply
     * @return its bytes
     * @throws IOException if the value cannot be encoded
     */
    public static byte[] encode(Reply reply) throws IOException {
        ByteSink out = new ByteSink(64, 64 * 1024);
        write(reply, out);
        return out.toByteArray();
    }

    /**
     * Writes a reply as the frame in {@code out}.
     *
     * @param reply the reply
     * @param out the buffer, reset first
     * @throws IOException if the value cannot be encoded
     */
    static void write(Reply reply, ByteSink out) throws IOException {
        out.reset();
        if (reply instanceof Reply.Values vs) {
            out.putByte(VALUES).putInt(vs.values().size());
            for (Object v : vs.values()) {
                out.putValue(v);
            }
        } else if (reply instanceof Reply.Value v) {
            out.putByte(VALUE).putEncoded(v.value());
        } else {
            out.putByte(FAILURE).putEncoded(((Reply.Failure) reply).failure());
        }
    }

    /**
     * @param frame a reply's bytes
     * @param loader where classes load from
     * @return the reply
     * @throws IOException if it does not decode
     */
    public static Reply decodeReply(byte[] frame, ClassLoader loader) throws IOException {
        return decodeReply(frame, frame.length, loader);
    }

    /**
     * @param frame an array whose first {@code length} bytes are a reply
     * @param length the reply's length
     * @param loader where classes load from
     * @return the reply
     * @throws IOException if it does not decode
     */
    static Reply decodeReply(byte[] frame, int length, ClassLoader loader) throws IOException {
        if (length < 2) {
            throw new StreamCorruptedException("truncated reply: length=" + length);
        }
        if (frame[0] == VALUES) {
            In in = new In(frame, length);
            in.u8();
            int n = in.i32();
            if (n < 0 || n > in.remaining()) {
                throw new StreamCorruptedException("bad result count: count=" + n);
            }
            List<Object> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(in.value(loader));
            }
            return new Reply.Values(values);
        }
        Object v = CODEC.decode(frame, 1, length - 1, loader);
        if (frame[0] == VALUE) {
            return new Reply.Value(v);
        }
        if (frame[0] == FAILURE && v instanceof Throwable t) {
            return new Reply.Failure(t);
        }
        throw new StreamCorruptedException("bad reply: status=" + frame[0]);
    }

    private static Object[] values(In in, ClassLoader loader) throws IOException {
        int n = in.u8();
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            args[i] = in.value(loader);
        }
        return args;
    }

    /** Reads a frame in place, big-endian; whatever runs past its end is StreamCorruptedException. */
    private static final class In {
        private final byte[] b;
        private final int end;
        private int at;

        In(byte[] b, int length) {
            this.b = b;
            this.end = length;
        }

        int remaining() {
            return end - at;
        }

        private int take(int n) throws StreamCorruptedException {
            if (n > end - at) {
                throw new StreamCorruptedException("truncated frame: length=" + end + " at=" + at + " need=" + n);
            }
            int p = at;
            at += n;
            return p;
        }

        int u8() throws StreamCorruptedException {
            return b[take(1)] & 0xff;
        }

        int u16() throws StreamCorruptedException {
            int p = take(2);
            return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
        }

        int i32() throws StreamCorruptedException {
            int p = take(4);
            return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
        }

        long i64() throws StreamCorruptedException {
            return (long) i32() << 32 | (i32() & 0xffffffffL);
        }

        String str() throws StreamCorruptedException {
            int n = i32();
            if (n < 0 || n > remaining()) {
                throw new StreamCorruptedException("bad string length: length=" + n);
            }
            return new String(b, take(n), n, StandardCharsets.UTF_8);
        }

        Object value(ClassLoader loader) throws IOException {
            int len = i32();
            if (len < 1 || len > remaining()) {
                throw new StreamCorruptedException("bad value length: length=" + len);
            }
            return CODEC.decode(b, take(len), len, loader);
        }
    }
}
