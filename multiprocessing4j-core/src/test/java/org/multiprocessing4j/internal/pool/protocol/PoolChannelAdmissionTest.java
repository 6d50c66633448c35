package org.multiprocessing4j.internal.pool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.connection.AuthenticationException;

/** The pool's socket admits a connection only if its first frame is the pool's token. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolChannelAdmissionTest {
    private Path dir;
    private Path path;
    private ServerSocketChannel server;

    @BeforeEach
    void bind() throws IOException {
        dir = Files.createTempDirectory("mp4j-admission");
        path = dir.resolve("p.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    @AfterEach
    void unbind() throws IOException {
        server.close();
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir);
    }

    private CompletableFuture<PoolChannel> serveOne(byte[] token) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return PoolChannel.serve(server.accept(), token);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void theRightTokenAdmitsTheWorkerAndItsFirstMessageFollows() throws Exception {
        byte[] token = PoolChannel.newToken();
        CompletableFuture<PoolChannel> served = serveOne(token);
        try (PoolChannel worker = PoolChannel.connect(path.toString(), token)) {
            worker.sendNow(new PoolMessage.Hello(3, 7, 1234));
            try (PoolChannel pool = served.get()) {
                PoolMessage.Hello hello = (PoolMessage.Hello) pool.receive(0);
                assertEquals(3, hello.slot());
                assertEquals(7, hello.generation());
            }
        }
    }

    @Test
    void anotherTokenIsRefusedAndTheConnectionClosedBeforeAnythingIsDecoded() throws Exception {
        CompletableFuture<PoolChannel> served = serveOne(PoolChannel.newToken());
        try (PoolChannel stranger = PoolChannel.connect(path.toString(), PoolChannel.newToken())) {
            stranger.sendNow(new PoolMessage.Hello(0, 0, 1));
            Throwable refused = assertThrows(Exception.class, served::join).getCause();
            assertInstanceOf(AuthenticationException.class, refused.getCause());
            assertThrows(IOException.class, () -> stranger.receive(0), "the pool closed the connection");
        }
    }

    @Test
    void aFirstFrameLongerThanATokenIsRefusedWithoutReadingIt() throws Exception {
        CompletableFuture<PoolChannel> served = serveOne(PoolChannel.newToken());
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            raw.write(ByteBuffer.allocate(4).putInt(0, 1 << 20));
            Throwable refused = assertThrows(Exception.class, served::join).getCause();
            assertInstanceOf(java.io.StreamCorruptedException.class, refused.getCause());
        }
    }
}
