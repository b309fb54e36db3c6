package io.pushgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code admin-rate}: send_to_uid admin calls per second over HTTP keep-alive, from {@code --threads} threads,
 * each with its own persistent connection; every call delivers one 100-byte frame to one of {@code --uids}
 * connected clients.
 */
final class AdminRateBench implements Bench.Tool {

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        int threads = o.integer("threads", 16);
        int uids = o.integer("uids", 100);
        int seconds = o.integer("seconds", 10);
        URI ws = o.ws();
        String data = "x".repeat(100);
        try (WsLoadClient clients = new WsLoadClient(); AdminHttp setup = new AdminHttp(o.admin(), o.secret())) {
            List<String> ids = clients.connect(ws.getHost(), ws.getPort(), uids, 100);
            for (int i = 0; i < ids.size(); i++) {
                setup.call("bind_uid", Map.of("client_id", ids.get(i), "uid", "b" + i));
            }
            AtomicLong calls = new AtomicLong();
            long warmupEnd = System.nanoTime() + 2_000_000_000L;
            long end = warmupEnd + seconds * 1_000_000_000L;
            AtomicLong measured = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                Thread worker = new Thread(() -> {
                    try (AdminHttp admin = new AdminHttp(o.admin(), o.secret())) {
                        byte[][] requests = new byte[uids][];
                        for (int u = 0; u < uids; u++) {
                            requests[u] = admin.request("send_to_uid", Map.of("uid", "b" + u, "data", data));
                        }
                        int k = offset;
                        long now;
                        while ((now = System.nanoTime()) < end) {
                            admin.send(requests[k++ % uids]);
                            calls.incrementAndGet();
                            if (now >= warmupEnd) {
                                measured.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            long drainDeadline = System.nanoTime() + 10_000_000_000L;
            while (clients.frames() < calls.get() && System.nanoTime() < drainDeadline) {
                Thread.onSpinWait();
            }
            System.out.printf("admin-rate threads=%d: %,.0f send_to_uid calls/s (%d frames received of %d sent)%n",
                    threads, measured.get() / (double) seconds, clients.frames(), calls.get());
        }
    }
}
