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
 * HTTP to the admin API: one POST per call, with fail-over across the admin URLs.
 *
 * <p>Only a failure to connect moves on to the next URL, because then the request was never sent; any answer
 * (including 4xx and 5xx) and any failure after the request went out end the call, so a send is never delivered
 * twice by the client. The URL that last answered is tried first. A whole call, fail-overs included, never takes
 * longer than the timeout.
 */
final class AdminTransport {
    private static final Logger log = LoggerFactory.getLogger(AdminTransport.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final List<HttpUrl> baseUrls;
    private final String authorization;
    private final ObjectMapper mapper;
    private final long timeoutNanos;
    private final AtomicInteger healthy = new AtomicInteger();

    AdminTransport(OkHttpClient http, List<HttpUrl> baseUrls, String secret, ObjectMapper mapper, long timeoutNanos) {
        this.http = http;
        this.baseUrls = baseUrls;
        this.authorization = "Bearer " + secret;
        this.mapper = mapper;
        this.timeoutNanos = timeoutNanos;
    }

    /** The request body of a call, serialised with the client's ObjectMapper. */
    byte[] body(Object args) {
        return mapper.writeValueAsBytes(args);
    }

    /** The body of {@code POST /v1/batch} for these operations, in order. */
    byte[] batchBody(List<? extends Operation<?>> operations) {
        List<Map<String, Object>> ops = new ArrayList<>(operations.size());
        for (Operation<?> op : operations) {
            Map<String, Object> entry = new LinkedHashMap<>(op.args().size() + 1);
            entry.put("method", op.method());
            entry.putAll(op.args());
            ops.add(entry);
        }
        return body(Map.of("ops", ops));
    }

    /** The {@code results} of a batch's answer, checked to hold one entry per operation. */
    static JsonNode batchAnswers(JsonNode response, int operations) {
        JsonNode answers = response.path("results");
        if (!answers.isArray() || answers.size() != operations) {
            throw new PushException(200, "bad_response", "the batch answered " + answers.size()
                    + " results for " + operations + " operations", null);
        }
        return answers;
    }

    /** The nanoTime by which a call started now must be done. */
    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /** Runs a call on this thread; returns its result object or throws a {@link PushException}. */
    JsonNode execute(String method, byte[] body) {
        long deadline = System.nanoTime() + timeoutNanos;
        int first = healthy.get();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (first + attempt) % baseUrls.size();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Call call = newCall(index, method, body, remaining);
            try (Response response = call.execute()) {
                markHealthy(first, index);
                return read(response);
            } catch (IOException e) {
                if (!isConnectFailure(e)) {
                    throw unavailable(index, e);
                }
                logFailOver(index, e);
                lastFailure = e;
            }
        }
        throw unreachable(lastFailure);
    }

    /** Queues a call on OkHttp's dispatcher; the future completes on one of its threads. */
    CompletableFuture<JsonNode> enqueue(String method, byte[] body) {
        return enqueue(method, body, deadline());
    }

    /** As {@link #enqueue(String, byte[])}, finishing by {@code deadline} (a {@link System#nanoTime()}). */
    CompletableFuture<JsonNode> enqueue(String method, byte[] body, long deadline) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        enqueue(result, method, body, healthy.get(), 0, deadline);
        return result;
    }

    private void enqueue(CompletableFuture<JsonNode> result, String method, byte[] body, int first, int attempt,
                         long deadline) {
        int index = (first + attempt) % baseUrls.size();
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            result.completeExceptionally(unreachable(null));
            return;
        }
        Call call = newCall(index, method, body, remaining);
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    markHealthy(first, index);
                    result.complete(read(response));
                } catch (IOException e) {
                    result.completeExceptionally(unavailable(index, e));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                if (isConnectFailure(e) && attempt + 1 < baseUrls.size()) {
                    logFailOver(index, e);
                    enqueue(result, method, body, first, attempt + 1, deadline);
                } else if (isConnectFailure(e)) {
                    result.completeExceptionally(unreachable(e));
                } else {
                    result.completeExceptionally(unavailable(index, e));
                }
            }
        });
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

    private void markHealthy(int first, int index) {
        if (index != first) {
            healthy.compareAndSet(first, index);
        }
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

    private PushException unreachable(IOException last) {
        if (last == null) {
            return new UnavailableException(0, "timeout", "no admin URL answered in time " + baseUrls, null);
        }
        return new UnavailableException(0, "connect_failed", "no admin URL accepted a connection " + baseUrls
                + "; last failure: " + last, last);
    }

    private void logFailOver(int index, IOException e) {
        log.warn("push-server admin URL {} unreachable ({}); trying the next", baseUrls.get(index), e.toString());
    }
}
