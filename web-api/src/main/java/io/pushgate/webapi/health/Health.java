package io.pushgate.webapi.health;

import io.javalin.http.Context;
import io.pushgate.webapi.http.ApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} and {@code GET /ready}, for load balancers and orchestrators. Health is liveness: the process
 * answers, and nothing else is looked at. Readiness asks the database for {@code SELECT 1} on the request pool (the
 * pool's 500 ms wait for a connection, then a 1 s query bound) and, at the same time, every push-server admin URL for
 * its {@code /health} (each within {@link #BOUND}); web-api is ready when the database answers and at least one
 * push-server does, else 503 {@code not_ready} naming what failed. An answer is reused for {@link #CACHE_FOR} and
 * concurrent polls wait for the one check in flight, so a storm of polls costs one check.
 */
public final class Health {
    private static final Logger log = LoggerFactory.getLogger(Health.class);
    /** How long a push-server admin URL may take to answer. */
    public static final Duration BOUND = Duration.ofMillis(500);
    /** How long an answer is reused. */
    public static final Duration CACHE_FOR = Duration.ofMillis(250);

    private final Jdbi jdbi;
    private final List<URI> pushHealthUris;
    private final LongSupplier nanos;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(BOUND)
            .build();
    private Readiness last;
    private long lastAt;

    public Health(Jdbi jdbi, List<String> pushAdminUrls, LongSupplier nanos) {
        this.jdbi = jdbi;
        this.pushHealthUris = pushAdminUrls.stream()
                .map(url -> URI.create(url.endsWith("/") ? url + "health" : url + "/health")).toList();
        this.nanos = nanos;
    }

    /** What one readiness check found: the database's answer and the push-server admin URLs that did not answer. */
    record Readiness(boolean database, List<URI> pushDown, int pushTotal) {
        boolean ready() {
            return database && pushDown.size() < pushTotal;
        }

        String problem() {
            if (!database) {
                return "the database does not answer";
            }
            return "no push-server admin URL answers (" + pushDown.size() + " of " + pushTotal + " down)";
        }
    }

    /** {@code GET /health}: {@code 200 {"status":"up"}} as long as the process serves requests. */
    public void health(Context ctx) {
        ctx.header("Cache-Control", "no-store").json(Map.of("status", "up"));
    }

    /** {@code GET /ready}: {@code 200 {"status":"ready",…}} or 503 {@code not_ready} naming the failed check. */
    public void ready(Context ctx) {
        Readiness r = readiness();
        ctx.header("Cache-Control", "no-store");
        if (!r.ready()) {
            throw new ApiException(503, "not_ready", r.problem());
        }
        ctx.json(Map.of("status", "ready", "push_servers_up", r.pushTotal() - r.pushDown().size(),
                "push_servers", r.pushTotal()));
    }

    synchronized Readiness readiness() {
        long now = nanos.getAsLong();
        if (last != null && now - lastAt < CACHE_FOR.toNanos()) {
            return last;
        }
        Readiness found = check();
        if (last == null ? !found.ready() : last.ready() != found.ready() || !last.pushDown().equals(found.pushDown())) {
            if (found.ready()) {
                log.info("ready (push-server admin URLs not answering: {})", found.pushDown());
            } else {
                log.warn("not ready: {} (push-server admin URLs not answering: {})", found.problem(), found.pushDown());
            }
        }
        last = found;
        lastAt = nanos.getAsLong();
        return found;
    }

    private Readiness check() {
        List<CompletableFuture<Boolean>> pushes = new ArrayList<>(pushHealthUris.size());
        for (URI uri : pushHealthUris) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(BOUND).GET().build();
            pushes.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> response.statusCode() == 200)
                    .exceptionally(e -> false));
        }
        boolean database = databaseAnswers();
        List<URI> down = new ArrayList<>();
        for (int i = 0; i < pushes.size(); i++) {
            // each request ends within its own timeout; the join cannot outlast it
            if (!pushes.get(i).join()) {
                down.add(pushHealthUris.get(i));
            }
        }
        return new Readiness(database, List.copyOf(down), pushHealthUris.size());
    }

    /** {@code SELECT 1} on the request pool: at most the pool's 500 ms wait for a connection and a 1 s query. */
    private boolean databaseAnswers() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").setQueryTimeout(1).mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
