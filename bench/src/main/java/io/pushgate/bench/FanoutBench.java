package io.pushgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code fanout}: deliveries per second of send_to_all or send_to_group to N connections.
 *
 * <p>N connections are opened (and joined to one group with batch calls). Then, for each of {@code --modes}
 * (send_to_all, send_to_group) and each of {@code --runs}, for
 * {@code --seconds}, one admin connection sends 100-byte frames back to back, keeping at most {@code --window}
 * sends ahead of what the clients have received, so that the server's queues stay short and what is measured is
 * steady delivery. Deliveries per second = frames received by all clients / time until the last one arrived.
 */
final class FanoutBench implements Bench.Tool {

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        int n = o.integer("connections", 1000);
        int runs = o.integer("runs", 3);
        List<String> modes = List.of(o.string("modes", "all,group").split(","));
        int seconds = o.integer("seconds", 10);
        int window = o.integer("window", 4);
        int payloadBytes = o.integer("payload", 100);
        URI ws = o.ws();
        String data = "x".repeat(payloadBytes);

        try (WsLoadClient clients = new WsLoadClient(); AdminHttp admin = new AdminHttp(o.admin(), o.secret())) {
            List<String> ids = clients.connect(ws.getHost(), ws.getPort(), n, 500);
            if (modes.contains("group")) {
                for (int from = 0; from < ids.size(); from += 1000) {
                    List<Map<String, String>> ops = new ArrayList<>();
                    for (String id : ids.subList(from, Math.min(from + 1000, ids.size()))) {
                        ops.add(Map.of("method", "join_group", "client_id", id, "group", "bench"));
                    }
                    admin.call("batch", Map.of("ops", ops));
                }
            }
            for (String mode : modes) {
                byte[] request = "group".equals(mode)
                        ? admin.request("send_to_group", Map.of("group", "bench", "data", data))
                        : admin.request("send_to_all", Map.of("data", data));
                run(clients, admin, request, n, window, 2); // warm-up
                for (int r = 1; r <= runs; r++) {
                    Result result = run(clients, admin, request, n, window, seconds);
                    System.out.printf("fanout mode=%s connections=%d payload=%dB run=%d: %,.0f deliveries/s "
                                    + "(%,.0f calls/s, %d frames in %.2f s, %d closed)%n",
                            mode, n, payloadBytes, r, result.frames / result.seconds,
                            result.calls / result.seconds, result.frames, result.seconds, clients.closedCount());
                }
            }
        }
    }

    private record Result(long frames, long calls, double seconds) {
    }

    private static Result run(WsLoadClient clients, AdminHttp admin, byte[] request, int n, int window,
                              int seconds) throws Exception {
        long base = clients.frames();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long calls = 0;
        while (System.nanoTime() < end) {
            while (clients.frames() - base < (calls - window) * n) {
                Thread.onSpinWait();
            }
            admin.send(request);
            calls++;
        }
        long expected = calls * n;
        long drainDeadline = System.nanoTime() + 30_000_000_000L;
        while (clients.frames() - base < expected && System.nanoTime() < drainDeadline) {
            Thread.onSpinWait();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(clients.frames() - base, calls, elapsed);
    }
}
