package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * {@link PushCalls} describes every admin method once; {@link PushClient}'s blocking methods are shortcuts for
 * {@code calls().x(...).execute()}. These tests fail when the two surfaces drift apart: a description without its
 * blocking twin (or the reverse), a twin with another result type, or a twin that sends another request.
 */
class SurfacesTest {
    /** PushClient's public methods that are not admin calls: settings, factories and lifecycle. */
    static final Set<String> NOT_ADMIN_CALLS = Set.of("builder", "newBuilder", "calls", "batch", "adminUrls",
            "timeout", "connectTimeout", "attemptTimeout", "circuitCoolDown", "maxAsyncRequests", "maxBodyBytes",
            "objectMapper", "close");

    /**
     * The calls sent again to another admin URL after an attempt that may have arrived: the reads and the sends, as
     * PushClient's "Several push-servers" lists them. Every other call changes state and is never sent twice.
     */
    static final Set<String> RETRY_SAFE = Set.of("send_to_client", "send_to_uid", "send_to_group", "send_to_all",
            "is_online", "is_uid_online", "get_client_ids_by_uid", "get_uid_by_client_id", "get_client_ids_by_group",
            "get_uids_by_group", "get_all_uids", "get_all_groups", "get_client_count", "get_uid_count", "get_session",
            "get_client_info", "stats");

    static List<Method> descriptions() {
        return Arrays.stream(PushCalls.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .toList();
    }

    @Test
    void everyDescriptionHasABlockingTwinWithTheSameParametersAndResult() {
        for (Method description : descriptions()) {
            assertEquals(PushCall.class, description.getReturnType(), description.toString());
            Type result = ((ParameterizedType) description.getGenericReturnType()).getActualTypeArguments()[0];
            Method twin;
            try {
                twin = PushClient.class.getMethod(description.getName(), description.getParameterTypes());
            } catch (NoSuchMethodException e) {
                fail("PushClient lacks the blocking twin of " + description);
                return;
            }
            assertEquals(unboxed(result), twin.getGenericReturnType(), twin.toString());
            assertEquals(Arrays.asList(description.getGenericParameterTypes()),
                    Arrays.asList(twin.getGenericParameterTypes()), twin.toString());
        }
    }

    @Test
    void everyBlockingAdminMethodHasADescription() {
        Set<String> missing = new TreeSet<>();
        for (Method method : PushClient.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || NOT_ADMIN_CALLS.contains(method.getName())
                    || method.getName().equals("toString")) {
                continue;
            }
            try {
                PushCalls.class.getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(method.toString());
            }
        }
        assertEquals(Set.of(), missing, "blocking methods without a description in PushCalls");
    }

    /** Each blocking method sends exactly the request its description sends: same path, same body. */
    @Test
    void everyBlockingTwinSendsItsDescriptionsRequest() throws Exception {
        try (MockWebServer server = ScriptedServers.start()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().body("{}").build();
                }
            });
            try (PushClient push = PushClient.builder().adminUrls(server.url("/").toString()).secret("s").build()) {
                List<String> checked = new ArrayList<>();
                for (Method description : descriptions()) {
                    Object[] args = sampleArguments(description.getParameterTypes());
                    Method twin = PushClient.class.getMethod(description.getName(), description.getParameterTypes());
                    invokeIgnoringTheResult(twin, push, args);
                    String blocking = request(server);
                    PushCall<?> call = (PushCall<?>) description.invoke(push.calls(), args);
                    invokeIgnoringTheResult(PushCall.class.getMethod("execute"), call, new Object[0]);
                    String described = request(server);
                    assertEquals(described, blocking, twin.toString());
                    assertTrue(described.startsWith("/v1/" + call.method() + " "), described);
                    assertEquals(RETRY_SAFE.contains(call.method()), call.retrySafe(), "retry-safe: " + description);
                    checked.add(call.method());
                }
                assertEquals(25, new TreeSet<>(checked).size(), "every admin method but batch: " + checked);
            }
        }
    }

    private static Type unboxed(Type type) {
        if (type == Void.class) {
            return void.class;
        }
        if (type == Integer.class) {
            return int.class;
        }
        if (type == Boolean.class) {
            return boolean.class;
        }
        return type;
    }

    private static Object[] sampleArguments(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i] == String.class ? "s" + i
                    : types[i] == Collection.class ? List.of("c" + i)
                    : types[i] == Map.class ? Map.of("k", i)
                    : "data" + i; // Object: a frame's data
        }
        return args;
    }

    /** Runs a call; the scripted answer ({@code {}}) may not decode into every result, which is not the point. */
    private static void invokeIgnoringTheResult(Method method, Object target, Object[] args) throws Exception {
        try {
            method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof PushException)) {
                throw e;
            }
        }
    }

    private static String request(MockWebServer server) throws InterruptedException, IOException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new IOException("no request arrived");
        }
        return request.getUrl().encodedPath() + " " + request.getBody().utf8();
    }
}
