package org.multiprocessing4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.connection.AuthenticationException;
import org.multiprocessing4j.connection.Client;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.manager.Hello;
import org.multiprocessing4j.internal.manager.MethodTable;
import org.multiprocessing4j.internal.manager.Request;
import org.multiprocessing4j.internal.manager.RequestCodec;

/** A served manager keeps serving its other clients whatever one client does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisbehavingClientsTest {
    private static final byte[] KEY = "misbehaving".getBytes();

    private static Manager serve() throws Exception {
        return Manager.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY);
    }

    /** A fresh client of the server works: the server survived. */
    private static void othersAreServed(SocketAddress address) throws Exception {
        try (Manager client = Manager.connect(address, KEY)) {
            ConcurrentMap<String, Integer> d = client.dict("probe");
            d.merge("n", 1, Integer::sum);
            d.get("n");
        }
    }

    @Test
    void garbageBytesAndHalfMessagesBeforeTheHandshake() throws Exception {
        try (Manager server = serve()) {
            List<SocketChannel> bad = new ArrayList<>();
            byte[] noise = new byte[4096];
            new Random(7).nextBytes(noise);
            SocketChannel g = SocketChannel.open(server.address());
            g.write(ByteBuffer.wrap(noise));
            bad.add(g);
            SocketChannel half = SocketChannel.open(server.address());
            half.write(ByteBuffer.wrap(new byte[] {0, 0, 0}));  // three bytes of a frame header, then silence
            bad.add(half);
            SocketChannel mute = SocketChannel.open(server.address()); // connects and says nothing
            bad.add(mute);
            othersAreServed(server.address());
            server.dict().put("still", 1);
            for (SocketChannel c : bad) {
                c.close();
            }
            othersAreServed(server.address());
        }
    }

    @Test
    void wrongKeyIsRefusedAtConnect() throws Exception {
        try (Manager server = serve()) {
            assertThrows(AuthenticationException.class, () -> Manager.connect(server.address(), "nope".getBytes()));
            othersAreServed(server.address());
        }
    }

    @Test
    void garbageAndHalfFramesAfterTheHandshake() throws Exception {
        try (Manager server = serve()) {
            Connection garbage = authenticated(server.address());
            byte[] noise = new byte[300];
            new Random(1).nextBytes(noise);
            noise[0] = 99; // no such request kind
            garbage.sendBytes(noise);
            Connection truncated = authenticated(server.address());
            truncated.sendBytes(new byte[] {1, 0, 0}); // a Call cut short
            othersAreServed(server.address());
            garbage.close();
            truncated.close();
            othersAreServed(server.address());
        }
    }

    @Test
    void aClientThatStopsReadingHoldsUpOnlyItself() throws Exception {
        try (Manager server = serve()) {
            ConcurrentMap<String, byte[]> big = server.dict("big"); // the server's first object: id 1
            big.put("v", new byte[1 << 20]);
            Connection reader = authenticated(server.address());
            int get = MethodTable.of(ConcurrentMap.class).indexOf(Map.class.getMethod("get", Object.class));
            byte[] frame = RequestCodec.encode(new Request.Call(1, get, 1, new Object[] {"v"}));
            for (int i = 0; i < 64; i++) { // 64 MiB of replies that nobody reads
                reader.sendBytes(frame);
            }
            othersAreServed(server.address());
            assertEquals(1 << 20, big.get("v").length);
            reader.close();
            othersAreServed(server.address());
        }
    }

    private static Connection authenticated(SocketAddress address) throws Exception {
        Connection c = Client.connect(address, KEY);
        new Hello(new Random().nextLong(), null).write(c);
        assertEquals("ok", c.recv());
        return c;
    }
}
