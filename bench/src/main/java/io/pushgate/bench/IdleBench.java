package io.pushgate.bench;

import java.net.URI;
import java.util.List;

/**
 * {@code idle}: opens {@code --connections} WebSocket connections, prints {@code ready N}, and holds them
 * (answering pings) for {@code --hold} seconds, while the caller measures the server's memory.
 */
final class IdleBench implements Bench.Tool {

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        int n = o.integer("connections", 10_000);
        int hold = o.integer("hold", 60);
        URI ws = o.ws();
        try (WsLoadClient clients = new WsLoadClient()) {
            long start = System.nanoTime();
            List<String> ids = clients.connect(ws.getHost(), ws.getPort(), n, 1000);
            System.out.printf("ready %d connections in %.1f s%n", ids.size(), (System.nanoTime() - start) / 1e9);
            System.out.flush();
            long end = System.nanoTime() + hold * 1_000_000_000L;
            while (System.nanoTime() < end && System.in.available() == 0) {
                Thread.sleep(100); // holding connections open is the whole job here
            }
            System.out.printf("closed by server while held: %d%n", clients.closedCount());
        }
    }
}
