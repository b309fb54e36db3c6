package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several admin URLs, dead and silent servers, timeouts. */
class FailoverTest {
    static final String SECRET = "failover-secret";

    PushServer server;
    String liveUrl;
    RecordingHttp recording;

    @BeforeEach
    void start() {
        server = PushServer.start(ServerConfig.forTesting(SECRET));
        liveUrl = server.adminUri().toString();
        recording = new RecordingHttp();
    }

    @AfterEach
    void stop() {
        recording.close();
        server.close();
    }

    /** A loopback port that nothing listens on: connecting is refused at once. */
    static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aDeadFirstUrlIsSkippedAndLeftOutOfRotation() throws Exception {
        int dead = deadPort();
        try (PushClient push = PushClient.builder()
                .adminUrls("http://127.0.0.1:" + dead, liveUrl)
                .secret(SECRET)
                .okHttpClient(recording.client)
                .build()) {
            assertEquals(0, push.getClientCount());
            assertEquals(List.of(dead, server.adminUri().getPort()), recording.ports());

            recording.calls.clear();
            assertEquals(0, push.getClientCount());
            assertEquals(List.of(server.adminUri().getPort()), recording.ports(), "the dead URL's circuit is open");
            recording.calls.clear();
            assertEquals(0, push.getClientCount());
            assertEquals(List.of(server.adminUri().getPort()), recording.ports(), "whichever URL's turn it is");
        }
    }

    @Test
    void aDeadFirstUrlIsSkippedByAsyncCalls() throws Exception {
        int dead = deadPort();
        try (PushClient push = PushClient.builder()
                .adminUrls("http://127.0.0.1:" + dead + "," + liveUrl) // one comma-separated string, as in env
                .secret(SECRET)
                .okHttpClient(recording.client)
                .build()) {
            assertEquals(0, push.calls().getClientCount().enqueue().get(5, TimeUnit.SECONDS));
            assertEquals(List.of(dead, server.adminUri().getPort()), recording.ports());
        }
    }

    @Test
    void everyUrlDeadThrowsUnavailable() throws Exception {
        try (PushClient push = PushClient.builder()
                .adminUrls("http://127.0.0.1:" + deadPort(), "http://127.0.0.1:" + deadPort())
                .secret(SECRET)
                .build()) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> push.sendToAll("x"));
            assertEquals("connect_failed", e.code());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> push.calls().sendToAll("x").enqueue().get(5, TimeUnit.SECONDS));
            assertEquals("connect_failed", assertInstanceOf(UnavailableException.class, async.getCause()).code());
        }
    }

    @Test
    void aFourHundredIsNeverRetriedOnTheNextUrl() {
        try (PushServer other = PushServer.start(ServerConfig.forTesting("another-secret"));
             PushClient push = PushClient.builder()
                     .adminUrls(other.adminUri().toString(), liveUrl)
                     .secret(SECRET)
                     .okHttpClient(recording.client)
                     .build()) {
            assertThrows(UnauthorizedException.class, () -> push.sendToAll("x"));
            assertEquals(List.of(other.adminUri().getPort()), recording.ports());
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        // The kernel completes the TCP handshake into the backlog, but nothing ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PushClient push = PushClient.builder()
                     .adminUrls("http://127.0.0.1:" + silent.getLocalPort())
                     .secret(SECRET)
                     .timeout(Duration.ofMillis(500))
                     .build()) {
            UnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(UnavailableException.class, () -> push.sendToUid("1", "x")));
            assertEquals("timeout", e.code());

            ExecutionException async = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(ExecutionException.class,
                            () -> push.calls().sendToUid("1", "x").enqueue().get(30, TimeUnit.SECONDS)));
            assertInstanceOf(UnavailableException.class, async.getCause());
        }
    }

    /** A client whose first admin URL accepts connections and never answers, its second the live server. */
    PushClient silentFirst(ServerSocket silent, int timeoutMillis, int attemptTimeoutMillis) {
        return PushClient.builder()
                .adminUrls("http://127.0.0.1:" + silent.getLocalPort(), liveUrl)
                .secret(SECRET)
                .timeout(Duration.ofMillis(timeoutMillis))
                .attemptTimeout(Duration.ofMillis(attemptTimeoutMillis))
                .okHttpClient(recording.client)
                .build();
    }

    @Test
    void aSendToASilentUrlMovesOnAfterTheAttemptTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PushClient push = silentFirst(silent, 5000, 300)) {
            long start = System.nanoTime();
            assertEquals(0, push.sendToUid("1", "x"), "sent again to the live URL: pages drop duplicates by id");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(List.of(silent.getLocalPort(), server.adminUri().getPort()), recording.ports());
            assertTrue(millis >= 250 && millis < 1000, "moved on after " + millis + " ms");

            recording.calls.clear();
            assertEquals(0, push.calls().sendToUid("1", "x").enqueue().get(5, TimeUnit.SECONDS));
            assertEquals(0, push.getUidCount());
            assertEquals(List.of(server.adminUri().getPort(), server.adminUri().getPort()), recording.ports(),
                    "the silent URL is out of rotation");
        }
    }

    @Test
    void aCallThatChangesStateIsNotSentAgainOnceItMayHaveArrived() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PushClient push = silentFirst(silent, 800, 200)) {
            long start = System.nanoTime();
            UnavailableException e = assertThrows(UnavailableException.class, () -> push.bindUid("n.c", "1"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("timeout", e.code());
            assertEquals(List.of(silent.getLocalPort()), recording.ports());
            assertTrue(millis >= 700, "a bind waits the whole timeout, not the attempt timeout: " + millis + " ms");
        }
    }

    @Test
    void aBatchIsSentAgainOnlyIfEveryOperationInItIsSafeToRepeat() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            try (PushClient push = silentFirst(silent, 600, 200)) {
                PushBatch sends = push.batch();
                BatchResult<Integer> sent = sends.add(push.calls().sendToUid("1", "x"));
                sends.add(push.calls().getClientCount());
                sends.execute();
                assertEquals(0, sent.get(), "reads and sends: sent again to the live URL");
            }
            try (PushClient push = silentFirst(silent, 600, 200)) { // a fresh client: the silent URL in rotation
                PushBatch mixed = push.batch();
                mixed.add(push.calls().sendToUid("1", "x"));
                mixed.add(push.calls().joinGroup("n.c", "g"));
                assertEquals("timeout", assertThrows(UnavailableException.class, mixed::execute).code(),
                        "a join inside: not sent again");
            }
        }
    }
}
