package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Clients with no account trying to stall or exhaust the WebSocket listener. */
class HostileClientsIT {
    static final String SECRET = "hostile-clients-it-secret";

    @Test
    void upgradesClosedAtOnceLeaveNothingBehindAndTheCapCountsLiveConnections() throws Exception {
        int cap = 5;
        try (PushServer server = PushServer.start(ServerConfig.forTesting(SECRET).withMaxConnections(cap))) {
            AtomicInteger maxHeld = new AtomicInteger();
            long attempts = closeRightAfterUpgrading(server.wsUri(), 3, Duration.ofSeconds(4),
                    () -> maxHeld.accumulateAndGet(server.hub().size(), Math::max));
            assertTrue(attempts > 100, "flood ran: " + attempts + " upgrades");
            assertTrue(maxHeld.get() <= cap, "the hub held " + maxHeld.get() + " connections, the cap is " + cap);
            Poll.until(Duration.ofSeconds(3), "hub and presence empty (hub " + server.hub().size() + ")",
                    () -> server.hub().size() == 0 && server.presence().clientCount() == 0);

            // Handshakes of flood sockets may still be queued behind the last ones counted (they find their
            // client gone at once): every slot must be free again shortly after.
            List<RawWebSocket> held = new ArrayList<>();
            try {
                Poll.until(Duration.ofSeconds(5), cap + " real connections accepted", () -> {
                    closeAll(held);
                    for (int i = 0; i < cap; i++) {
                        RawWebSocket client = connect(server.wsUri());
                        held.add(client);
                        if (client.status() != 101) {
                            return false;
                        }
                    }
                    return true;
                });
                try (RawWebSocket refused = RawWebSocket.connect(server.wsUri())) {
                    assertEquals(503, refused.status());
                }
                held.remove(0).close();
                Poll.until(Duration.ofSeconds(5), "slot released", () -> server.hub().size() == cap - 1);
                RawWebSocket again = RawWebSocket.connect(server.wsUri());
                held.add(again);
                assertEquals(101, again.status());
            } finally {
                closeAll(held);
            }
        }
    }

    static RawWebSocket connect(URI ws) {
        try {
            return RawWebSocket.connect(ws);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void closeAll(List<RawWebSocket> clients) {
        for (RawWebSocket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        clients.clear();
    }

    /**
     * Threads that open a socket, send a valid upgrade request and close at once, or right after the first byte
     * of the answer, for {@code duration}; calls {@code sample} between rounds. Returns the number of attempts.
     */
    static long closeRightAfterUpgrading(URI ws, int threads, Duration duration, Runnable sample)
            throws InterruptedException {
        byte[] request = RawWebSocket.upgradeRequest(ws, null);
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong attempts = new AtomicLong();
        List<Thread> flooders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean readFirst = t % 2 == 1;
            Thread flooder = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 2000);
                        socket.setSoTimeout(2000);
                        socket.getOutputStream().write(request);
                        if (readFirst) {
                            InputStream in = socket.getInputStream();
                            in.read();
                        }
                    } catch (IOException e) {
                        // refused or reset: part of the flood
                    }
                    attempts.incrementAndGet();
                }
            }, "flooder-" + t);
            flooder.start();
            flooders.add(flooder);
        }
        while (System.nanoTime() < end) {
            sample.run();
            Thread.sleep(5);
        }
        for (Thread flooder : flooders) {
            flooder.join(5000);
        }
        return attempts.get();
    }
}
