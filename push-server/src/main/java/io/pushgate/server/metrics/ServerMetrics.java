package io.pushgate.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pushgate.server.hub.Hub;
import io.pushgate.server.presence.Presence;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The push-server's Prometheus metrics, served at {@code GET /metrics} on the admin port. */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Timer> adminTimers = new ConcurrentHashMap<>();

    public ServerMetrics(Hub hub, Presence presence) {
        Gauge.builder("pushgate.connections", hub, Hub::size)
                .description("WebSocket connections held by this node").register(registry);
        Gauge.builder("pushgate.uids", presence, Presence::uidCount)
                .description("uids with at least one connection").register(registry);
        Gauge.builder("pushgate.groups", presence, Presence::groupCount)
                .description("groups with at least one member").register(registry);
        FunctionCounter.builder("pushgate.frames.sent", hub, Hub::framesSent)
                .description("frames handed to connections").register(registry);
        FunctionCounter.builder("pushgate.frames.dropped", hub, Hub::framesDropped)
                .description("frames not sent because the connection was too far behind").register(registry);
        FunctionCounter.builder("pushgate.slow.client.closes", hub, Hub::slowClientCloses)
                .description("connections closed for falling too far behind").register(registry);
        FunctionCounter.builder("pushgate.connections.opened", hub, Hub::connectionsOpened)
                .description("connections accepted since start").register(registry);
    }

    /** Records how long one admin call took. */
    public void recordAdminCall(String method, long nanos) {
        adminTimers.computeIfAbsent(method, m -> Timer.builder("pushgate.admin.call")
                        .description("admin API call latency").tag("method", m).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
