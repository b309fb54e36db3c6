package io.pushgate.webapi;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.beforeMatched;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.pushgate.webapi.auth.Access.ADMIN;
import static io.pushgate.webapi.auth.Access.PUBLIC;
import static io.pushgate.webapi.auth.Access.SIGNED_IN;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson3;
import io.javalin.security.RouteRole;
import io.pushgate.client.PushClient;
import io.pushgate.webapi.admin.AdminController;
import io.pushgate.webapi.auth.AuthController;
import io.pushgate.webapi.auth.Authenticator;
import io.pushgate.webapi.auth.PasswordHasher;
import io.pushgate.webapi.auth.SessionDao;
import io.pushgate.webapi.auth.Sessions;
import io.pushgate.webapi.conversation.ConversationController;
import io.pushgate.webapi.conversation.ConversationService;
import io.pushgate.webapi.db.Database;
import io.pushgate.webapi.db.EmbeddedDatabase;
import io.pushgate.webapi.bind.BindController;
import io.pushgate.webapi.demo.DemoData;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.GroupController;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.health.Health;
import io.pushgate.webapi.http.ContentSecurityPolicy;
import io.pushgate.webapi.http.ErrorMapping;
import io.pushgate.webapi.http.JsonErrorHandler;
import io.pushgate.webapi.http.MemoryRateLimiter;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RateLimits;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.http.RequestWarnings;
import io.pushgate.webapi.http.SlowClients;
import io.pushgate.webapi.message.MessageController;
import io.pushgate.webapi.message.MessageDao;
import io.pushgate.webapi.message.MessageService;
import io.pushgate.webapi.message.MessageWriter;
import io.pushgate.webapi.message.ReadPositionDao;
import io.pushgate.webapi.product.ProductController;
import io.pushgate.webapi.product.ProductDao;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.push.PushClientChannel;
import io.pushgate.webapi.redis.RedisRateLimiter;
import io.pushgate.webapi.redis.RedisStore;
import io.pushgate.webapi.upload.DatabaseUploadStore;
import io.pushgate.webapi.upload.DirectoryUploadStore;
import io.pushgate.webapi.upload.UploadController;
import io.pushgate.webapi.upload.UploadDao;
import io.pushgate.webapi.upload.UploadStore;
import io.pushgate.webapi.user.Role;
import io.pushgate.webapi.user.UserController;
import io.pushgate.webapi.user.UserDao;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running web-api: the composition root that builds every part from a {@link WebApiConfig}, wires them by
 * constructor and serves the REST API (all routes are listed in {@link #routes}), the pages under
 * {@code /public} on the classpath and the uploaded images. {@link #start} returns once the port accepts
 * connections; {@link #close} stops everything it started.
 *
 * <pre>{@code
 * try (WebApi api = WebApi.start(WebApiConfig.fromEnv(System.getenv()))) {
 *     URI base = api.uri(); // http://localhost:8080
 * }
 * }</pre>
 */
public final class WebApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebApi.class);
    /** Pool size: enough for the Jetty workers that touch the database at once on a small machine. */
    public static final int POOL_SIZE = 16;
    /** How long a push-server call may take before the push is given up (the message stays stored). */
    static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Push requests in flight at once; pushes made meanwhile leave together in one batch request. Measured with
     * {@code bench.jar api}: 2 gave 1,500-2,100 messages/s, 1 gave 1,530 and 4 gave 1,260 (docs/BENCHMARKS.md).
     */
    static final int PUSH_MAX_REQUESTS = 2;
    /** The largest JSON request body. */
    static final int MAX_JSON_BYTES = 64 * 1024;

    private final WebApiConfig config;
    private final EmbeddedDatabase embedded;
    private final Database database;
    private final PushChannel push;
    private final RedisStore redis;
    private final ScheduledExecutorService housekeeping;
    private final MessageWriter writer;
    private final Javalin app;
    private final Map<String, Set<RouteRole>> routes;

    private WebApi(WebApiConfig config, EmbeddedDatabase embedded, Database database, PushChannel push,
                   RedisStore redis, ScheduledExecutorService housekeeping, MessageWriter writer, Javalin app,
                   Map<String, Set<RouteRole>> routes) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
        this.push = push;
        this.redis = redis;
        this.housekeeping = housekeeping;
        this.writer = writer;
        this.app = app;
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** Builds and starts web-api: database (embedded when DB_URL is unset), schema, demo data, HTTP. */
    public static WebApi start(WebApiConfig config) {
        EmbeddedDatabase embedded = null;
        Database database = null;
        PushChannel push = null;
        RedisStore redis = null;
        ScheduledExecutorService housekeeping = null;
        MessageWriter writer = null;
        try {
            String url = config.dbUrl();
            String user = config.dbUser();
            String password = config.dbPassword();
            if (config.embeddedDatabase()) {
                embedded = EmbeddedDatabase.start(config.dataDir());
                url = embedded.jdbcUrl();
                user = "root";
                password = "";
            }
            database = Database.open(url, user, password, POOL_SIZE);
            Jdbi jdbi = database.jdbi();
            jdbi.registerColumnMapper(Role.class, (rs, column, ctx) -> Role.of(rs.getString(column)));
            PasswordHasher hasher = new PasswordHasher();
            if (config.demoData()) {
                DemoData.load(jdbi, hasher);
            }
            JsonMapper json = JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();
            PushChannel channel = new PushClientChannel(PushClient.builder()
                    .adminUrls(config.pushAdminUrls())
                    .secret(config.pushAdminSecret())
                    .timeout(PUSH_TIMEOUT)
                    .maxAsyncRequests(PUSH_MAX_REQUESTS)
                    .objectMapper(json) // frames go out in the API's snake_case
                    .build(), json);
            push = channel;
            RateLimiter.Factory buckets = MemoryRateLimiter.factory(System::nanoTime);
            if (config.redisUrl() != null) {
                redis = RedisStore.connect(config.redisUrl(), System::nanoTime);
                buckets = RedisRateLimiter.factory(redis, config.redisKeyPrefix(), System::nanoTime);
            }
            Sessions sessions = new Sessions(jdbi.onDemand(SessionDao.class),
                    Duration.ofHours(config.sessionTtlHours()), Clock.systemUTC());
            housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "web-api-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(() -> purge(sessions), 1, 60, TimeUnit.MINUTES);
            long every = Sessions.REVALIDATE_EVERY.toMillis();
            AtomicBoolean revalidationFailing = new AtomicBoolean();
            housekeeping.scheduleWithFixedDelay(() -> revalidate(sessions, revalidationFailing), every, every,
                    TimeUnit.MILLISECONDS);
            MessageWriter messageWriter = new MessageWriter(database.writerJdbi());
            writer = messageWriter;
            RateLimiter.Factory limiters = buckets;
            Map<String, Set<RouteRole>> routes = new LinkedHashMap<>();
            Javalin app = Javalin.create(c -> {
                c.events.handlerAdded(h -> {
                    if (h.getHttpMethod().isHttpMethod()) {
                        routes.put(h.getHttpMethod().name() + " " + h.getPath(), Set.copyOf(h.getRoles()));
                    }
                });
                configure(c, config, json, jdbi, sessions, hasher, channel, messageWriter, limiters);
            });
            app.start(config.host(), config.port());
            WebApi api = new WebApi(config, embedded, database, push, redis, housekeeping, writer, app, routes);
            log.info("web-api ready: {} (database {}, push-server {}, rate limits in {}, uploads in the {})",
                    api.uri(), config.databaseForLogs(), config.pushAdminUrls(), redis == null ? "memory" : redis,
                    config.uploadStore().name().toLowerCase(java.util.Locale.ROOT));
            return api;
        } catch (RuntimeException e) {
            closeQuietly(housekeeping, writer, push, redis, database, embedded);
            throw e;
        }
    }

    private static void configure(io.javalin.config.JavalinConfig c, WebApiConfig config, JsonMapper json, Jdbi jdbi,
                                  Sessions sessions, PasswordHasher hasher, PushChannel push, MessageWriter writer,
                                  RateLimiter.Factory buckets) {
        c.startup.showJavalinBanner = false;
        c.jsonMapper(new JavalinJackson3(json, false));
        c.http.maxRequestSize = MAX_JSON_BYTES; // JSON bodies; uploads have their own limit below
        RequestWarnings warnings = new RequestWarnings(Duration.ofSeconds(10), System::nanoTime);
        SlowClients.configure(c.jetty, config.host(), config.port(), Duration.ofMillis(config.readTimeoutMs()),
                config.minReadRate(), MAX_JSON_BYTES + 1024, new JsonErrorHandler(json, warnings), warnings);
        c.jetty.multipartConfig.maxFileSize(UploadController.MAX_BYTES, SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(UploadController.MAX_REQUEST_BYTES, SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize(UploadController.MAX_BYTES, SizeUnit.BYTES);
        if (WebApi.class.getResource("/public") != null) {
            c.staticFiles.add(files -> {
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "max-age=0",
                        "Content-Security-Policy", ContentSecurityPolicy.forPages(config.publicWsUrls()));
            });
        }
        ErrorMapping.register(c.routes);
        c.routes.before("/api/*", ctx -> {
            if (!ctx.path().equals("/api/uploads")) { // multipart
                RequestBodies.requireJsonIfAny(ctx);
            }
        });
        c.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin"));

        UserDao users = jdbi.onDemand(UserDao.class);
        GroupDao groups = jdbi.onDemand(GroupDao.class);
        ProductDao products = jdbi.onDemand(ProductDao.class);
        MessageDao messages = jdbi.onDemand(MessageDao.class);
        ReadPositionDao reads = jdbi.onDemand(ReadPositionDao.class);
        DeskService desk = new DeskService(users, DeskService.MAX_AGE, System::nanoTime);
        UploadStore uploads = switch (config.uploadStore()) {
            case DATABASE -> new DatabaseUploadStore(jdbi.onDemand(UploadDao.class), Clock.systemUTC());
            case DIRECTORY -> new DirectoryUploadStore(config.uploadDir());
        };
        RequestBodies bodies = new RequestBodies(json, warnings);
        Authenticator auth = new Authenticator(sessions);
        RateLimits limits = RateLimits.of(config.rateLimitPerSecond(), config.rateLimitBurst(),
                config.loginAttemptsPerUsername(), config.loginAttemptsPerAddress(), buckets);

        Supplier<PageConfig> pageConfig = () -> {
            OptionalLong support = desk.supportUid();
            return new PageConfig(config.publicWsUrl(), config.publicWsUrls(), support.isPresent() ? support.getAsLong() : null);
        };
        routes(c, pageConfig, auth, new Controllers(
                new AuthController(users, sessions, hasher, bodies, push, limits.loginsPerUsername(),
                        limits.loginsPerAddress()),
                new UserController(users),
                new BindController(push, groups, desk, bodies, limits.binds()),
                new MessageController(new MessageService(messages, writer, reads, users, groups, products, uploads,
                        desk, push, limits.messages(), limits.reads(), Clock.systemUTC()), messages, users, groups,
                        desk, bodies),
                new ConversationController(new ConversationService(messages, users, groups, desk)),
                new GroupController(groups, users, push, bodies, limits.groupChanges()),
                new UploadController(uploads, limits.uploads()),
                new ProductController(products, users),
                new AdminController(users, push),
                new Health(jdbi, config.pushAdminUrls(), System::nanoTime)));
    }

    private record Controllers(AuthController auth, UserController users, BindController bind,
                               MessageController messages, ConversationController conversations,
                               GroupController groups, UploadController uploads, ProductController products,
                               AdminController admin, Health health) {
    }

    /**
     * Page configuration: where the push-server's WebSocket is, and the desk account customers write to.
     * {@code wsUrls} lists every node's URL (pages fail over between them); {@code wsUrl} is the first, for pages
     * that know only one.
     */
    public record PageConfig(String wsUrl, List<String> wsUrls, Long supportUid) {
    }

    /**
     * Every route of the app and who may call it ({@link io.pushgate.webapi.auth.Access}), in one place: the API's
     * access table. docs: web-api/src/main/resources/openapi.json.
     */
    private static void routes(io.javalin.config.JavalinConfig c, Supplier<PageConfig> pageConfig, Authenticator auth,
                               Controllers k) {
        c.routes.apiBuilder(() -> {
            beforeMatched(auth::check); // each route's Access, after every before handler (e.g. the JSON check)
            get("/", ctx -> ctx.redirect("/login.html"), PUBLIC);
            get("/uploads/{name}", k.uploads()::serve, PUBLIC);
            get("/health", k.health()::health, PUBLIC); // liveness
            get("/ready", k.health()::ready, PUBLIC); // readiness: the database and a push-server answer
            path("/api", () -> {
                get("/openapi.json", WebApi::openApi, PUBLIC);
                get("/config", ctx -> ctx.json(pageConfig.get()), PUBLIC);
                before("/login", Authenticator::refuseCrossSite); // no session yet, but no login from elsewhere
                post("/login", k.auth()::login, PUBLIC);
                post("/logout", k.auth()::logout, SIGNED_IN);
                get("/me", k.auth()::me, SIGNED_IN);
                get("/users", k.users()::many, SIGNED_IN);
                get("/users/{uid}", k.users()::one, SIGNED_IN);
                post("/bind", k.bind()::bind, SIGNED_IN);
                post("/messages", k.messages()::send, SIGNED_IN);
                get("/messages", k.messages()::history, SIGNED_IN);
                post("/messages/read", k.messages()::read, SIGNED_IN);
                get("/sync", k.messages()::sync, SIGNED_IN);
                get("/conversations", k.conversations()::list, SIGNED_IN);
                get("/groups", k.groups()::all, SIGNED_IN);
                post("/groups", k.groups()::create, SIGNED_IN);
                get("/groups/{gid}/messages", k.messages()::groupHistory, SIGNED_IN);
                post("/groups/{gid}/join", k.groups()::join, SIGNED_IN);
                post("/groups/{gid}/leave", k.groups()::leave, SIGNED_IN);
                post("/groups/{gid}/invites", k.groups()::invite, SIGNED_IN);
                post("/uploads", k.uploads()::upload, SIGNED_IN);
                get("/products", k.products()::all, SIGNED_IN);
                get("/products/{pid}", k.products()::one, SIGNED_IN);
                get("/admin/online", k.admin()::online, ADMIN);
            });
        });
    }

    private static void openApi(io.javalin.http.Context ctx) {
        InputStream doc = WebApi.class.getResourceAsStream("/openapi.json");
        ctx.contentType("application/json").result(doc);
    }

    /**
     * A failure leaves the sessions to run out of trust; requests then look them up one by one (or get 503). Logged
     * once when it starts failing and once when it works again, not four times a second.
     */
    private static void revalidate(Sessions sessions, AtomicBoolean failing) {
        try {
            sessions.revalidate();
            if (failing.compareAndSet(true, false)) {
                log.info("session revalidation works again");
            }
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                log.warn("session revalidation failed (requests look sessions up one by one meanwhile): {}",
                        e.toString());
            }
        }
    }

    private static void purge(Sessions sessions) {
        try {
            int purged = sessions.purgeExpired();
            if (purged > 0) {
                log.info("purged {} expired sessions", purged);
            }
        } catch (RuntimeException e) {
            log.warn("session purge failed: {}", e.toString());
        }
    }

    /** The port the API listens on. */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://localhost:8080}. */
    public URI uri() {
        String host = "0.0.0.0".equals(config.host()) ? "localhost" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** Every route, as {@code "GET /api/me"} (the OpenAPI test checks them against the document). */
    public List<String> routes() {
        return List.copyOf(routes.keySet());
    }

    /** Every route and the roles it declares: one {@link io.pushgate.webapi.auth.Access} each (AccessTest). */
    public Map<String, Set<RouteRole>> routeRoles() {
        return routes;
    }

    public WebApiConfig config() {
        return config;
    }

    /** The database (for tests and benchmarks). */
    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** The message writer's own pool of one connection (for tests that run a writer of their own). */
    public Jdbi writerJdbi() {
        return database.writerJdbi();
    }

    /**
     * Stops HTTP, then the message writer (it stores what is already queued), the push client, Redis, the pool and, if
     * web-api started it, the embedded database.
     */
    @Override
    public void close() {
        app.stop();
        closeQuietly(housekeeping, writer, push, redis, database, embedded);
        log.info("web-api stopped");
    }

    private static void closeQuietly(ScheduledExecutorService housekeeping, AutoCloseable... resources) {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
