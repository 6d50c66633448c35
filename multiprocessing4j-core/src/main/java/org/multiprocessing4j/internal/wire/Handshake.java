package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.multiprocessing4j.internal.os.Nonces;
import org.multiprocessing4j.connection.AuthenticationException;

/**
 * Mutual authentication of two endpoints that share a key, before anything else crosses the stream.
 *
 * <pre>
 * Overview (numbered as in docs/wire-protocol.md, "Authentication"):
 *  1. server -> client  frame: "mp4j-challenge-1" + 32 random bytes (Sn)
 *  2. client -> server  frame: HMAC-SHA256(key, "client" + Sn) + "mp4j-challenge-1" + 32 random bytes (Cn)
 *  3. server            checks the MAC in constant time; on a mismatch it sends "FAILURE" and closes
 *     server -> client  frame: "WELCOME" + HMAC-SHA256(key, "server" + Cn)
 *  4. client            checks the server's MAC; on a mismatch it sends "FAILURE" and closes
 *     client -> server  frame: "WELCOME"
 * </pre>
 * The role labels inside the MACs keep a peer from reflecting one side's challenge back at it. Frames here are
 * at most 256 bytes, so nothing large is read from a peer that has not authenticated.
 */
public final class Handshake {
    private static final byte[] CHALLENGE = "mp4j-challenge-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "WELCOME".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "FAILURE".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32;
    private static final int MAC = 32;
    private static final int MAX_FRAME = 256;

    private Handshake() {
    }

    /**
     * Runs the server's side of the hand-shake.
     *
     * @param in the stream from the client
     * @param out the stream to the client
     * @param key the shared key
     * @throws AuthenticationException if the client does not know the key, or refuses ours
     * @throws IOException if the stream fails
     */
    public static void serve(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] serverNonce = challenge();
        Frames.write(out, serverNonce);
        byte[] answer = Frames.read(in, MAX_FRAME);
        if (answer.length != MAC + CHALLENGE.length + NONCE
                || !MessageDigest.isEqual(slice(answer, 0, MAC), mac(key, "client", serverNonce))) {
            Frames.write(out, FAILURE);
            throw new AuthenticationException("the peer failed the auth-key challenge: it does not know this "
                    + "process's auth key (check that both sides use the same authKey)");
        }
        byte[] clientNonce = slice(answer, MAC, answer.length);
        checkChallenge(clientNonce);
        Frames.write(out, concat(WELCOME, mac(key, "server", clientNonce)));
        byte[] verdict = Frames.read(in, MAX_FRAME);
        if (!MessageDigest.isEqual(verdict, WELCOME)) {
            throw new AuthenticationException("the peer refused our answer to its challenge: the two sides use "
                    + "different auth keys");
        }
    }

    /**
     * Runs the client's side of the hand-shake.
     *
     * @param in the stream from the server
     * @param out the stream to the server
     * @param key the shared key
     * @throws AuthenticationException if the server does not know the key, or refuses ours
     * @throws IOException if the stream fails
     */
    public static void connect(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] serverNonce = Frames.read(in, MAX_FRAME);
        checkChallenge(serverNonce);
        byte[] clientNonce = challenge();
        Frames.write(out, concat(mac(key, "client", serverNonce), clientNonce));
        byte[] reply = Frames.read(in, MAX_FRAME);
        if (reply.length != WELCOME.length + MAC) {
            throw new AuthenticationException("the peer refused our answer to its challenge: the two sides use "
                    + "different auth keys");
        }
        if (!MessageDigest.isEqual(slice(reply, 0, WELCOME.length), WELCOME)
                || !MessageDigest.isEqual(slice(reply, WELCOME.length, reply.length), mac(key, "server", clientNonce))) {
            Frames.write(out, FAILURE);
            throw new AuthenticationException("the peer failed the auth-key challenge: it does not know this "
                    + "process's auth key (check that both sides use the same authKey)");
        }
        Frames.write(out, WELCOME);
    }

    private static byte[] challenge() {
        return concat(CHALLENGE, Nonces.random(NONCE));
    }

    private static void checkChallenge(byte[] message) throws AuthenticationException {
        if (message.length != CHALLENGE.length + NONCE
                || !MessageDigest.isEqual(slice(message, 0, CHALLENGE.length), CHALLENGE)) {
            throw new AuthenticationException("the peer did not open with a multiprocessing4j challenge "
                    + "(length=" + message.length + "): it is not a multiprocessing4j endpoint of this version");
        }
    }

    private static byte[] mac(byte[] key, String role, byte[] message) {
        return HmacSha256.mac(key, role.getBytes(StandardCharsets.US_ASCII), message);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
