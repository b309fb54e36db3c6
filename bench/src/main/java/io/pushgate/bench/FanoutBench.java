package io.pushgate.bench;

import java.net.URI;
import java.util.List;

/**
 * {@code fanout}: deliveries per second of send_to_all or send_to_group to N connections.
 *
 * <p>N connections are opened (and, for {@code --mode group}, joined to one group with batch calls). Then, for
 * {@code --seconds}, one admin connection sends 100-byte frames back to back, keeping at most {@code --window}
 * sends ahead of what the clients have received, so that the server's queues stay short and what is measured is
 * steady delivery. Deliveries per second = frames received by all clients / time until the last one arrived.
 */
final class FanoutBench implements Bench.Tool {

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        int n = o.integer("connections", 1000);
        String mode = o.string("mode", "all");
        int seconds = o.integer("seconds", 10);
        int window = o.integer("window", 4);
        int payloadBytes = o.integer("payload", 100);
        URI ws = o.ws();
        String data = "\"" + "x".repeat(payloadBytes) + "\"";

        try (WsLoadClient clients = new WsLoadClient(); AdminHttp admin = new AdminHttp(o.admin(), o.secret())) {
            List<String> ids = clients.connect(ws.getHost(), ws.getPort(), n, 500);
            String method;
            String body;
            if ("group".equals(mode)) {
                for (int from = 0; from < ids.size(); from += 1000) {
                    StringBuilder ops = new StringBuilder("{\"ops\":[");
                    for (int i = from; i < Math.min(from + 1000, ids.size()); i++) {
                        ops.append(i > from ? "," : "").append("{\"method\":\"join_group\",\"client_id\":\"")
                                .append(ids.get(i)).append("\",\"group\":\"bench\"}");
                    }
                    admin.call("batch", ops.append("]}").toString());
                }
                method = "send_to_group";
                body = "{\"group\":\"bench\",\"data\":" + data + "}";
            } else {
                method = "send_to_all";
                body = "{\"data\":" + data + "}";
            }
            byte[] request = admin.request(method, body);

            run(clients, admin, request, n, window, 2); // warm-up
            Result r = run(clients, admin, request, n, window, seconds);
            System.out.printf("fanout mode=%s connections=%d payload=%dB window=%d: %,.0f deliveries/s "
                            + "(%,.0f calls/s, %d frames in %.2f s, %d closed)%n",
                    mode, n, payloadBytes, window, r.frames / r.seconds, r.calls / r.seconds, r.frames, r.seconds,
                    clients.closedCount());
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
