package io.pushgate.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP to the admin API: one POST per call, spread over the admin URLs, failing over from those that are down or
 * stalled.
 *
 * <p>Calls take turns over the URLs (round robin), skipping those whose {@link CircuitBreaker circuit} is open: a
 * URL that refused a connection or let an attempt time out is left out for a cool-down, then probed by one call.
 * A call moves on to the next URL when the request was never sent (the connection failed), and, if the call is
 * {@link PushCall#retrySafe() safe to repeat}, also when the attempt failed or took longer than the attempt
 * timeout after the request went out. Any answer (including 4xx and 5xx) ends the call. Every attempt but a
 * call's last is cut at the attempt timeout when the call is safe to repeat; the last one, and every attempt of a
 * call that is not, may use what is left of the call's timeout, which bounds the whole call, fail-overs included.
 */
final class AdminTransport {
    private static final Logger log = LoggerFactory.getLogger(AdminTransport.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final List<HttpUrl> baseUrls;
    private final List<CircuitBreaker> breakers;
    private final String authorization;
    private final ObjectMapper mapper;
    private final long timeoutNanos;
    private final long attemptTimeoutNanos;
    private final int maxBodyBytes;
    private final AtomicInteger rotation = new AtomicInteger();

    /**
     * @param timeoutNanos        the longest a call may take, fail-overs included
     * @param attemptTimeoutNanos the longest an attempt of a call that is safe to repeat waits before the next URL
     * @param coolDownNanos       how long a URL that failed stays out of rotation before a call probes it
     * @param maxBodyBytes        the largest request body sent; a larger one fails before it is sent
     */
    AdminTransport(OkHttpClient http, List<HttpUrl> baseUrls, String secret, ObjectMapper mapper, long timeoutNanos,
                   long attemptTimeoutNanos, long coolDownNanos, int maxBodyBytes) {
        this.http = http;
        this.baseUrls = baseUrls;
        List<CircuitBreaker> circuits = new ArrayList<>(baseUrls.size());
        baseUrls.forEach(url -> circuits.add(new CircuitBreaker(coolDownNanos, System::nanoTime)));
        this.breakers = List.copyOf(circuits);
        this.authorization = "Bearer " + secret;
        this.mapper = mapper;
        this.timeoutNanos = timeoutNanos;
        this.attemptTimeoutNanos = attemptTimeoutNanos;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The request body of a call, serialised with the client's ObjectMapper. */
    byte[] body(Object args) {
        return mapper.writeValueAsBytes(args);
    }

    /** The body of {@code POST /v1/batch} for these calls, in order. */
    byte[] batchBody(List<? extends PushCall<?>> calls) {
        List<Map<String, Object>> ops = new ArrayList<>(calls.size());
        for (PushCall<?> op : calls) {
            Map<String, Object> entry = new LinkedHashMap<>(op.args().size() + 1);
            entry.put("method", op.method());
            entry.putAll(op.args());
            ops.add(entry);
        }
        return body(Map.of("ops", ops));
    }

    /** The {@code results} of a batch's answer, checked to hold one object per call. */
    static JsonNode batchAnswers(JsonNode response, int calls) {
        JsonNode answers = response.path("results");
        if (!answers.isArray() || answers.size() != calls) {
            throw new PushException(200, "bad_response", "the batch answered " + answers.size()
                    + " results for " + calls + " calls", null);
        }
        for (JsonNode answer : answers) {
            if (!answer.isObject()) {
                throw new PushException(200, "bad_response", "the batch answered a result that is not a JSON "
                        + "object: " + answer, null);
            }
        }
        return answers;
    }

    /** True if a request body of this size may be sent: the push-server answers 413 to a larger one. */
    boolean fits(byte[] body) {
        return body.length <= maxBodyBytes;
    }

    /** The exception of a call whose body is over {@link #fits the cap}, thrown before anything is sent. */
    PushException tooLarge(String method, byte[] body) {
        return new BadRequestException(0, "payload_too_large", "the " + method + " request's body is "
                + body.length + " bytes, over maxBodyBytes (" + maxBodyBytes + ", the push-server's "
                + "PUSH_ADMIN_MAX_BODY_BYTES); not sent" + ("batch".equals(method) ? ": split the batch" : ""));
    }

    /** The nanoTime by which a call started now must be done. */
    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /**
     * Runs a call on this thread; returns its result object or throws a {@link PushException}.
     *
     * @param retrySafe whether the call may be sent to another URL after this one may have received it
     */
    JsonNode execute(String method, byte[] body, boolean retrySafe) {
        if (!fits(body)) {
            throw tooLarge(method, body);
        }
        Attempts attempts = new Attempts(method, body, retrySafe, deadline());
        for (Call call = attempts.next(); call != null; call = attempts.next()) {
            try (Response response = call.execute()) {
                attempts.answered();
                return read(response);
            } catch (IOException e) {
                PushException failure = attempts.failed(e);
                if (failure != null) {
                    throw failure;
                }
            }
        }
        throw attempts.exhausted();
    }

    /** Queues a call on OkHttp's dispatcher; the future completes on one of its threads. */
    CompletableFuture<JsonNode> enqueue(String method, byte[] body, boolean retrySafe) {
        return enqueue(method, body, retrySafe, deadline());
    }

    /** As {@link #enqueue(String, byte[], boolean)}, finishing by {@code deadline} (a {@link System#nanoTime()}). */
    CompletableFuture<JsonNode> enqueue(String method, byte[] body, boolean retrySafe, long deadline) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        if (!fits(body)) {
            result.completeExceptionally(tooLarge(method, body));
            return result;
        }
        enqueue(result, new Attempts(method, body, retrySafe, deadline));
        return result;
    }

    private void enqueue(CompletableFuture<JsonNode> result, Attempts attempts) {
        if (result.isDone()) {
            return; // cancelled by the caller
        }
        Call call = attempts.next();
        if (call == null) {
            result.completeExceptionally(attempts.exhausted());
            return;
        }
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    attempts.answered();
                    result.complete(read(response));
                } catch (IOException e) {
                    onFailure(call, e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                if (result.isDone()) {
                    return; // the caller gave up (OkHttp's own timeout cancels the call too, hence not isCanceled)
                }
                PushException failure = attempts.failed(e);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    enqueue(result, attempts);
                }
            }
        });
    }

    /** One call's way through the admin URLs: the next attempt, and what a failed one means. */
    private final class Attempts {
        private final String method;
        private final byte[] body;
        private final boolean retrySafe;
        private final long deadline;
        private final AttemptPlan plan;
        private int index = -1;
        private IOException lastFailure;
        private int lastFailed = -1;

        Attempts(String method, byte[] body, boolean retrySafe, long deadline) {
            this.method = method;
            this.body = body;
            this.retrySafe = retrySafe;
            this.deadline = deadline;
            this.plan = new AttemptPlan(breakers, Math.floorMod(rotation.getAndIncrement(), baseUrls.size()),
                    retrySafe);
        }

        /** The next attempt's call, or null when no URL is left or the call's time is up. */
        Call next() {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            index = plan.next();
            if (index < 0) {
                return null;
            }
            long attemptNanos = retrySafe && !plan.isLast() ? Math.min(remaining, attemptTimeoutNanos) : remaining;
            return newCall(index, method, body, attemptNanos);
        }

        /** The current URL answered (whatever the status). */
        void answered() {
            if (breakers.get(index).succeeded()) {
                log.info("push-server admin URL {} answers again; back in rotation", baseUrls.get(index));
            }
        }

        /**
         * The current attempt failed: takes its URL out of rotation and returns null if the call moves on to the
         * next URL, or the exception that ends the call.
         */
        PushException failed(IOException e) {
            boolean connectFailure = isConnectFailure(e);
            if (breakers.get(index).failed()) {
                log.warn("push-server admin URL {} {} ({}); out of rotation for a cool-down", baseUrls.get(index),
                        connectFailure ? "unreachable" : "failed or did not answer in time", e.toString());
            }
            if (!connectFailure && !retrySafe) {
                return unavailable(index, e); // it may have arrived: sending it again could change its meaning
            }
            lastFailure = e;
            lastFailed = index;
            return null;
        }

        /** The exception of a call that ran out of URLs or of time. */
        PushException exhausted() {
            if (lastFailure == null) {
                return new UnavailableException(0, "timeout", "no admin URL answered in time " + baseUrls, null);
            }
            if (isConnectFailure(lastFailure)) {
                return new UnavailableException(0, "connect_failed", "no admin URL accepted a connection "
                        + baseUrls + "; last failure: " + lastFailure, lastFailure);
            }
            return unavailable(lastFailed, lastFailure);
        }
    }

    private Call newCall(int index, String method, byte[] body, long timeoutNanos) {
        HttpUrl url = baseUrls.get(index).newBuilder().addPathSegment("v1").addPathSegment(method).build();
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", authorization)
                .post(RequestBody.create(body, JSON))
                .build();
        Call call = http.newCall(request);
        call.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS);
        return call;
    }

    /** The result object of a 200, or the fitting {@link PushException} for an error answer. */
    private JsonNode read(Response response) throws IOException {
        byte[] bytes = response.body().bytes();
        JsonNode node;
        try {
            node = bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (JacksonException e) {
            node = null;
        }
        if (response.code() == 200 && node != null && node.isObject()) {
            return node;
        }
        if (response.code() == 200) {
            throw new PushException(200, "bad_response", "the admin API answered with something other than a "
                    + "JSON object", null);
        }
        JsonNode error = node == null ? null : node.path("error");
        if (error != null && error.isObject()) {
            throw PushException.of(response.code(), error.path("code").asString(), error.path("message").asString());
        }
        throw PushException.of(response.code(), "http_" + response.code(),
                "the admin API answered " + response.code() + " " + response.message());
    }

    /**
     * True when the request was never sent: refused, unroutable, unknown host, or no connection within the connect
     * timeout. OkHttp reports the last one as a SocketTimeoutException saying "connect".
     */
    private static boolean isConnectFailure(IOException e) {
        if (e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof UnknownHostException) {
            return true;
        }
        String message = e.getMessage();
        return e instanceof SocketTimeoutException && message != null
                && message.toLowerCase(Locale.ROOT).contains("connect");
    }

    private PushException unavailable(int index, IOException e) {
        boolean timeout = e instanceof InterruptedIOException;
        return new UnavailableException(0, timeout ? "timeout" : "io_error",
                (timeout ? "no answer in time from " : "call failed at ") + baseUrls.get(index) + ": " + e, e);
    }

    static PushException timedOut(String what) {
        return new UnavailableException(0, "timeout", what, null);
    }
}
