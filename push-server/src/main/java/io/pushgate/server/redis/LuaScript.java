package io.pushgate.server.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One server-side script: the shared prelude ({@code common.lua}) followed by the script's own body, both read from
 * this package's resources. Run by SHA ({@code EVALSHA}); when Redis does not know it (a restarted Redis forgets
 * its script cache) it is sent whole once ({@code EVAL}), which caches it again.
 */
final class LuaScript {
    private static final String PRELUDE = resource("common");

    private final String name;
    private final String source;
    private final byte[] sourceBytes;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1(sourceBytes);
    }

    /** The script {@code <name>.lua} of this package, behind the prelude. */
    static LuaScript load(String name) {
        return of(name, resource(name));
    }

    /** A script with this body behind the prelude. */
    static LuaScript of(String name, String body) {
        return new LuaScript(name, PRELUDE + body);
    }

    @Override
    public String toString() {
        return name + ".lua (" + sha + ")";
    }

    /** Runs the script on a connection with String keys and values; Redis failures surface as Lettuce's. */
    <T> T run(RedisScriptingCommands<String, String> redis, ScriptOutputType type, String... args) {
        try {
            return redis.evalsha(sha, type, new String[0], args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, new String[0], args);
        }
    }

    /** Runs the script on a binary connection; completes with the result or the failure. */
    <T> CompletionStage<T> run(RedisScriptingAsyncCommands<byte[], byte[]> redis, ScriptOutputType type,
                                byte[]... args) {
        RedisFuture<T> first = redis.evalsha(sha, type, new byte[0][], args);
        return first.handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(sourceBytes, type, new byte[0][], args);
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private static String resource(String name) {
        String path = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
