package io.pushgate.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java client of the push-server's admin API: binds connections to uids, manages groups, sends frames and
 * asks who is online. Every method of the contract has one method here, named after it in camelCase, that runs it
 * and waits for its result; {@link #calls()} describes the same methods as {@link PushCall}s, to run async or in a
 * batch.
 *
 * <h2>PushClients should be shared</h2>
 * A PushClient is immutable and thread-safe, and holds one connection pool and one dispatcher. Create it once when
 * your app starts, share it with every thread, and close it when the app stops:
 * <pre>{@code
 * PushClient push = PushClient.builder()
 *     .adminUrls(System.getenv("PUSH_ADMIN_URLS"))   // "http://10.0.0.5:8283,http://10.0.0.6:8283"
 *     .secret(System.getenv("PUSH_ADMIN_SECRET"))
 *     .build();
 *
 * push.bindUid(clientId, "42");                       // the client_id a page got in its init frame
 * int delivered = push.sendToUid("42", Map.of("type", "message", "text", "hello"));
 * }</pre>
 *
 * <h2>Data</h2>
 * A frame's {@code data} is either a {@code String}, which the page receives exactly as it is, or any other object,
 * which the client's {@link Builder#objectMapper ObjectMapper} serialises to JSON. Sends return how many
 * connections the frame was handed to (0 when the uid or group is offline).
 *
 * <h2>Errors</h2>
 * Every method throws an unchecked {@link PushException}: {@link UnauthorizedException},
 * {@link ClientNotFoundException}, {@link BadRequestException} or {@link UnavailableException}. An error status
 * without the contract's error body has the code {@code http_<status>}; a 200 that is not the contract's answer has
 * {@code bad_response}. Arguments are checked first: a null one throws {@code NullPointerException("uid == null")}.
 *
 * <h2>Several push-servers</h2>
 * With more than one admin URL (every node of a cluster answers for the whole cluster), calls take turns over the
 * URLs, so the load spreads. A URL that refuses a connection, or lets an attempt run past the
 * {@link Builder#attemptTimeout attempt timeout}, is taken out of rotation (its circuit opens) for the
 * {@link Builder#circuitCoolDown cool-down}; then one call probes it, and an answer puts it back. A call that cannot
 * connect moves on to the next URL at once. After the request went out, whether a call may be sent again to
 * another node depends on what it does:
 * <ul>
 *   <li><b>Retried on the next URL</b> after a failed or timed-out attempt: the reads ({@code isOnline},
 *       {@code isUidOnline}, {@code getClientIdsByUid}, {@code getUidByClientId}, {@code getClientIdsByGroup},
 *       {@code getUidsByGroup}, {@code getAllUids}, {@code getAllGroups}, {@code getClientCount},
 *       {@code getUidCount}, {@code getSession}, {@code getClientInfo}, {@code stats}), which change nothing, and
 *       the sends ({@code sendToClient}, {@code sendToUid}, {@code sendToGroup}, {@code sendToAll}): a frame may
 *       then reach a connection twice, and Pushgate's pages drop duplicates by message id (give your own frames
 *       an id if you send others). A stalled node is so failed over within about one attempt timeout.</li>
 *   <li><b>Never sent again once it may have arrived</b>: the calls that change state ({@code bindUid},
 *       {@code unbindUid}, {@code joinGroup}, {@code leaveGroup}, {@code ungroup}, {@code setSession},
 *       {@code updateSession}, {@code closeClient}). A stalled node that wakes up still applies the first copy,
 *       late, over the retry and over whatever you did since (a later bind, a leave), and a repeated
 *       {@code closeClient} answers false. Such a call waits for its node up to the {@link Builder#timeout timeout}
 *       and then throws {@link UnavailableException} {@code timeout}; decide yourself whether to call it again.</li>
 * </ul>
 * A batch (and a coalesced async request) is retried only if every call in it is. Any answer, a 4xx or 5xx
 * included, is final, and no call takes longer than the {@link Builder#timeout timeout}, fail-overs included.
 *
 * <h2>Async and batches</h2>
 * Each method here is a shortcut for its description in {@link PushCalls}, run at once:
 * {@code push.sendToUid(uid, frame)} is {@code push.calls().sendToUid(uid, frame).execute()}. The same
 * {@link PushCall} can instead be {@link PushCall#enqueue() enqueued} (a {@code CompletableFuture}, without a thread
 * per call) or {@link PushBatch#add added} to a {@link #batch()}, sent with others in one request:
 * <pre>{@code
 * push.calls().sendToUid("42", frame).enqueue().thenAccept(n -> log.debug("reached {}", n));
 * }</pre>
 *
 * <h2>Customising</h2>
 * {@link #newBuilder()} derives a client with other settings that shares this one's connection pool:
 * <pre>{@code
 * PushClient patient = push.newBuilder().timeout(Duration.ofSeconds(30)).build();
 * }</pre>
 */
public final class PushClient implements AutoCloseable {
    private final List<HttpUrl> adminUrls;
    private final String secret;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Duration attemptTimeout;
    private final Duration circuitCoolDown;
    private final ObjectMapper objectMapper;
    private final int maxAsyncRequests;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final int maxBodyBytes;
    private final AdminTransport transport;
    private final PushCalls calls;

    private PushClient(Builder builder) {
        this.adminUrls = List.copyOf(builder.adminUrls);
        this.secret = builder.secret;
        this.timeout = builder.timeout;
        this.connectTimeout = builder.connectTimeout.compareTo(builder.timeout) < 0
                ? builder.connectTimeout : builder.timeout;
        this.attemptTimeout = builder.attemptTimeout;
        this.circuitCoolDown = builder.circuitCoolDown;
        this.objectMapper = builder.objectMapper;
        this.maxAsyncRequests = builder.maxAsyncRequests;
        this.ownsHttp = builder.okHttpClient == null;
        OkHttpClient base = ownsHttp ? defaultOkHttpClient() : builder.okHttpClient;
        OkHttpClient.Builder derived = base.newBuilder();
        if (base.socketFactory() == SocketFactory.getDefault()) {
            derived.socketFactory(new NoDelaySocketFactory()); // a caller's own socket factory is left alone
        }
        this.http = derived
                .connectTimeout(connectTimeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .build();
        this.maxBodyBytes = builder.maxBodyBytes;
        this.transport = new AdminTransport(http, adminUrls, secret, objectMapper, timeout.toNanos(),
                attemptTimeout.toNanos(), circuitCoolDown.toNanos(), maxBodyBytes);
        this.calls = new PushCalls(objectMapper, transport, new CallCoalescer(transport, maxAsyncRequests));
    }

    /** A builder with every default; {@link Builder#adminUrls} and {@link Builder#secret} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this client's settings. A client built from it shares this client's connection pool and
     * dispatcher; closing this client shuts them down for both.
     */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /**
     * Every admin method as a {@link PushCall}, to {@link PushCall#execute() execute}, {@link PushCall#enqueue()
     * enqueue} or {@link PushBatch#add add to a batch}; see {@link PushCalls}.
     */
    public PushCalls calls() {
        return calls;
    }

    /** A new, empty batch: calls gathered and sent in one request; see {@link PushBatch}. */
    public PushBatch batch() {
        return new PushBatch(transport);
    }

    /** The admin URLs, in the order they were given. */
    public List<String> adminUrls() {
        List<String> urls = new ArrayList<>(adminUrls.size());
        adminUrls.forEach(url -> urls.add(url.toString()));
        return List.copyOf(urls);
    }

    /** The longest any one call may take, fail-overs included. */
    public Duration timeout() {
        return timeout;
    }

    /** The longest a connection attempt to one admin URL may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest an attempt of a call that is safe to repeat waits for one admin URL before trying the next. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** How long an admin URL that failed stays out of rotation before a call probes it. */
    public Duration circuitCoolDown() {
        return circuitCoolDown;
    }

    /** How many HTTP requests {@link PushCall#enqueue() enqueued} calls keep in flight before they coalesce. */
    public int maxAsyncRequests() {
        return maxAsyncRequests;
    }

    /** The largest request body this client sends; a call or batch over it fails before it is sent. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The mapper that serialises {@code data} and sessions. */
    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    // ---- the admin methods, run now: each is calls().x(...).execute(), described (and documented) in PushCalls

    /** Runs {@link PushCalls#bindUid}. */
    public void bindUid(String clientId, String uid) {
        calls.bindUid(clientId, uid).execute();
    }

    /** Runs {@link PushCalls#unbindUid}. */
    public void unbindUid(String clientId, String uid) {
        calls.unbindUid(clientId, uid).execute();
    }

    /** Runs {@link PushCalls#joinGroup}. */
    public void joinGroup(String clientId, String group) {
        calls.joinGroup(clientId, group).execute();
    }

    /** Runs {@link PushCalls#leaveGroup}. */
    public void leaveGroup(String clientId, String group) {
        calls.leaveGroup(clientId, group).execute();
    }

    /** Runs {@link PushCalls#ungroup}. */
    public void ungroup(String group) {
        calls.ungroup(group).execute();
    }

    /** Runs {@link PushCalls#sendToClient(String, Object)}: 1 if the frame was handed over, 0 if it is gone. */
    public int sendToClient(String clientId, Object data) {
        return calls.sendToClient(clientId, data).execute();
    }

    /** Runs {@link PushCalls#sendToClient(Collection, Object)}. */
    public int sendToClient(Collection<String> clientIds, Object data) {
        return calls.sendToClient(clientIds, data).execute();
    }

    /** Runs {@link PushCalls#sendToUid(String, Object)}: the connections reached, 0 if the uid is offline. */
    public int sendToUid(String uid, Object data) {
        return calls.sendToUid(uid, data).execute();
    }

    /** Runs {@link PushCalls#sendToUid(String, Object, Collection)}. */
    public int sendToUid(String uid, Object data, Collection<String> excludeClientIds) {
        return calls.sendToUid(uid, data, excludeClientIds).execute();
    }

    /** Runs {@link PushCalls#sendToUid(Collection, Object)}. */
    public int sendToUid(Collection<String> uids, Object data) {
        return calls.sendToUid(uids, data).execute();
    }

    /** Runs {@link PushCalls#sendToUid(Collection, Object, Collection)}. */
    public int sendToUid(Collection<String> uids, Object data, Collection<String> excludeClientIds) {
        return calls.sendToUid(uids, data, excludeClientIds).execute();
    }

    /** Runs {@link PushCalls#sendToGroup(String, Object)}. */
    public int sendToGroup(String group, Object data) {
        return calls.sendToGroup(group, data).execute();
    }

    /** Runs {@link PushCalls#sendToGroup(String, Object, Collection)}. */
    public int sendToGroup(String group, Object data, Collection<String> excludeClientIds) {
        return calls.sendToGroup(group, data, excludeClientIds).execute();
    }

    /** Runs {@link PushCalls#sendToGroup(Collection, Object)}. */
    public int sendToGroup(Collection<String> groups, Object data) {
        return calls.sendToGroup(groups, data).execute();
    }

    /** Runs {@link PushCalls#sendToGroup(Collection, Object, Collection)}. */
    public int sendToGroup(Collection<String> groups, Object data, Collection<String> excludeClientIds) {
        return calls.sendToGroup(groups, data, excludeClientIds).execute();
    }

    /** Runs {@link PushCalls#sendToAll(Object)}. */
    public int sendToAll(Object data) {
        return calls.sendToAll(data).execute();
    }

    /** Runs {@link PushCalls#sendToAll(Object, Collection)}. */
    public int sendToAll(Object data, Collection<String> excludeClientIds) {
        return calls.sendToAll(data, excludeClientIds).execute();
    }

    /** Runs {@link PushCalls#closeClient(String)}: true if it was open. */
    public boolean closeClient(String clientId) {
        return calls.closeClient(clientId).execute();
    }

    /** Runs {@link PushCalls#closeClient(String, Object)}: true if it was open. */
    public boolean closeClient(String clientId, Object data) {
        return calls.closeClient(clientId, data).execute();
    }

    /** Runs {@link PushCalls#isOnline}. */
    public boolean isOnline(String clientId) {
        return calls.isOnline(clientId).execute();
    }

    /** Runs {@link PushCalls#isUidOnline}. */
    public boolean isUidOnline(String uid) {
        return calls.isUidOnline(uid).execute();
    }

    /** Runs {@link PushCalls#getClientIdsByUid}. */
    public List<String> getClientIdsByUid(String uid) {
        return calls.getClientIdsByUid(uid).execute();
    }

    /** Runs {@link PushCalls#getUidByClientId}. */
    public Optional<String> getUidByClientId(String clientId) {
        return calls.getUidByClientId(clientId).execute();
    }

    /** Runs {@link PushCalls#getClientIdsByGroup}. */
    public List<String> getClientIdsByGroup(String group) {
        return calls.getClientIdsByGroup(group).execute();
    }

    /** Runs {@link PushCalls#getUidsByGroup}. */
    public List<String> getUidsByGroup(String group) {
        return calls.getUidsByGroup(group).execute();
    }

    /** Runs {@link PushCalls#getAllUids}. */
    public List<String> getAllUids() {
        return calls.getAllUids().execute();
    }

    /** Runs {@link PushCalls#getAllGroups}. */
    public Map<String, Integer> getAllGroups() {
        return calls.getAllGroups().execute();
    }

    /** Runs {@link PushCalls#getClientCount()}. */
    public int getClientCount() {
        return calls.getClientCount().execute();
    }

    /** Runs {@link PushCalls#getClientCount(String)}. */
    public int getClientCount(String group) {
        return calls.getClientCount(group).execute();
    }

    /** Runs {@link PushCalls#getUidCount()}. */
    public int getUidCount() {
        return calls.getUidCount().execute();
    }

    /** Runs {@link PushCalls#getUidCount(String)}. */
    public int getUidCount(String group) {
        return calls.getUidCount(group).execute();
    }

    /** Runs {@link PushCalls#setSession}. */
    public void setSession(String clientId, Map<String, ?> session) {
        calls.setSession(clientId, session).execute();
    }

    /** Runs {@link PushCalls#updateSession}. */
    public void updateSession(String clientId, Map<String, ?> session) {
        calls.updateSession(clientId, session).execute();
    }

    /** Runs {@link PushCalls#getSession}. */
    public Optional<Map<String, Object>> getSession(String clientId) {
        return calls.getSession(clientId).execute();
    }

    /** Runs {@link PushCalls#getClientInfo}. */
    public ClientInfo getClientInfo(String clientId) {
        return calls.getClientInfo(clientId).execute();
    }

    /** Runs {@link PushCalls#stats}. */
    public Stats stats() {
        return calls.stats().execute();
    }

    /**
     * Releases the connection pool and the dispatcher's threads, unless the OkHttpClient was supplied by the
     * caller (then it is the caller's to close). Calls made afterwards fail.
     */
    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "PushClient" + adminUrls; // never the secret
    }

    /**
     * An OkHttpClient sized for a backend that calls one or a few push-servers from many threads: up to 64 idle
     * keep-alive connections and 64 concurrent async calls per server (OkHttp's defaults are 5 and 5).
     */
    private static OkHttpClient defaultOkHttpClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(64);
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .build();
    }

    /**
     * Configures a {@link PushClient}. Mutable and not thread-safe; {@link #build()} may be called many times.
     * Required: {@link #adminUrls} and {@link #secret}.
     */
    public static final class Builder {
        private final List<HttpUrl> adminUrls = new ArrayList<>();
        private String secret;
        private Duration timeout;
        private Duration connectTimeout;
        private Duration attemptTimeout;
        private Duration circuitCoolDown;
        private ObjectMapper objectMapper;
        private int maxAsyncRequests;
        private int maxBodyBytes;
        private OkHttpClient okHttpClient;

        Builder() {
            // Every default, in one place.
            timeout = Duration.ofSeconds(5);
            connectTimeout = Duration.ofSeconds(1);
            attemptTimeout = Duration.ofMillis(500);
            circuitCoolDown = Duration.ofSeconds(2);
            objectMapper = JsonMapper.builder().build();
            maxAsyncRequests = 8;
            maxBodyBytes = 1 << 20;
            okHttpClient = null;
        }

        Builder(PushClient client) {
            adminUrls.addAll(client.adminUrls);
            secret = client.secret;
            timeout = client.timeout;
            connectTimeout = client.connectTimeout;
            attemptTimeout = client.attemptTimeout;
            circuitCoolDown = client.circuitCoolDown;
            objectMapper = client.objectMapper;
            maxAsyncRequests = client.maxAsyncRequests;
            maxBodyBytes = client.maxBodyBytes;
            okHttpClient = client.http;
        }

        /**
         * The push-servers' admin URLs, e.g. {@code http://127.0.0.1:8283}, tried in this order. Each argument may
         * itself be a comma-separated list, as in the {@code PUSH_ADMIN_URLS} variable. Replaces earlier URLs.
         * Required; there is no default.
         *
         * @throws IllegalArgumentException if a URL is not an http or https URL
         */
        public Builder adminUrls(String... urls) {
            Objects.requireNonNull(urls, "urls == null");
            return adminUrls(List.of(urls));
        }

        /** As {@link #adminUrls(String...)}. */
        public Builder adminUrls(Collection<String> urls) {
            Objects.requireNonNull(urls, "urls == null");
            List<HttpUrl> parsed = new ArrayList<>();
            for (String list : urls) {
                Objects.requireNonNull(list, "url == null");
                for (String url : list.split(",")) {
                    if (url.isBlank()) {
                        continue;
                    }
                    HttpUrl httpUrl = HttpUrl.parse(url.trim());
                    if (httpUrl == null) {
                        throw new IllegalArgumentException("not an http(s) URL: " + url.trim());
                    }
                    parsed.add(httpUrl);
                }
            }
            adminUrls.clear();
            adminUrls.addAll(parsed);
            return this;
        }

        /**
         * The admin secret ({@code PUSH_ADMIN_SECRET} of the push-server), sent as a bearer token. Required; there
         * is no default. Read it from the environment, never from source code.
         */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret == null");
            return this;
        }

        /**
         * The longest one call may take, from start to result, fail-overs to other admin URLs included; past it the
         * call throws {@link UnavailableException} with code {@code timeout}. Default: 5 seconds.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * The longest a connection attempt to one admin URL may take before the next URL is tried; capped by
         * {@link #timeout}. Default: 1 second.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long an attempt of a call that is safe to repeat (a read or a send) may wait for one admin URL before
         * the call moves on to the next one, which takes that URL out of rotation for the
         * {@link #circuitCoolDown cool-down}. The call's last attempt, and every attempt of a call that changes
         * state, may use the rest of the {@link #timeout}. Keep it above the slowest answer a healthy node gives
         * (a large batch, a {@code sendToAll} on a big cluster). Default: 500 ms, so a node that accepts
         * connections but does not answer is failed over within a second.
         */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
            return this;
        }

        /**
         * How long an admin URL that refused a connection or let an attempt time out stays out of rotation; then
         * the next call that is safe to repeat probes it, and an answer puts it back. While every URL is out, calls
         * still try them all. Default: 2 seconds.
         */
        public Builder circuitCoolDown(Duration circuitCoolDown) {
            this.circuitCoolDown = positive(circuitCoolDown, "circuitCoolDown");
            return this;
        }

        /**
         * The mapper that serialises {@code data} objects and session maps, and reads session values back. The
         * request's own fields are always snake_case, whatever its naming strategy. Default: a plain
         * {@code JsonMapper.builder().build()}.
         */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper == null");
            return this;
        }

        /**
         * How many HTTP requests the {@link PushCall#enqueue() enqueued} calls keep in flight at once. Calls enqueued
         * while that many are out wait and then leave together in one batch request (see {@link PushCall}); a
         * higher value sends more, smaller requests. Blocking calls are not limited by it. Default: 8.
         */
        public Builder maxAsyncRequests(int maxAsyncRequests) {
            if (maxAsyncRequests < 1) {
                throw new IllegalArgumentException("maxAsyncRequests < 1");
            }
            this.maxAsyncRequests = maxAsyncRequests;
            return this;
        }

        /**
         * The largest request body the client sends: set it to the push-server's {@code PUSH_ADMIN_MAX_BODY_BYTES},
         * which answers 413 to a larger one. A call or {@link PushBatch} whose body is larger fails before it is
         * sent, with {@link BadRequestException} {@code payload_too_large} naming the cap; enqueued calls are
         * coalesced only into batches that fit. Default: 1 MiB (1,048,576 bytes), the push-server's default.
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes < 1");
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * An OkHttpClient to share (its connection pool, dispatcher, interceptors, TLS settings); the PushClient
         * derives its own timeouts from it with {@link OkHttpClient#newBuilder()} and never closes it. Default: a
         * client of the PushClient's own, with up to 64 idle connections and 64 concurrent async calls per server,
         * closed by {@link PushClient#close()}.
         */
        public Builder okHttpClient(OkHttpClient okHttpClient) {
            this.okHttpClient = Objects.requireNonNull(okHttpClient, "okHttpClient == null");
            return this;
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name + " == null");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " <= 0");
            }
            return duration;
        }

        /**
         * Builds the client.
         *
         * @throws NullPointerException if the secret is not set ({@code "secret == null"})
         * @throws IllegalStateException if no admin URL is set
         */
        public PushClient build() {
            Objects.requireNonNull(secret, "secret == null");
            if (adminUrls.isEmpty()) {
                throw new IllegalStateException("adminUrls is empty");
            }
            return new PushClient(this);
        }
    }
}
