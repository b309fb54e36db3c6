package io.pushgate.webapi.push;

import io.pushgate.client.BadRequestException;
import io.pushgate.client.BatchResult;
import io.pushgate.client.ClientNotFoundException;
import io.pushgate.client.PushBatch;
import io.pushgate.client.PushCalls;
import io.pushgate.client.PushClient;
import io.pushgate.client.PushException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/** {@link PushChannel} over push-client-lib's {@link PushClient}. */
public final class PushClientChannel implements PushChannel {
    /** The key of a connection's push-server session that names the login session which bound it. */
    static final String SESSION_KEY = "web_session";

    /** How many uids {@link #connectionCounts} looks up in one batch request. */
    static final int LOOKUPS_PER_REQUEST = 1000;

    private final PushClient client;
    private final ObjectMapper json;

    /** Takes ownership of {@code client}: {@link #close} closes it. */
    public PushClientChannel(PushClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /**
     * Each push is its own async call, so that concurrent sends share requests: push-client-lib sends a lone call
     * at once and, while its requests are in flight, coalesces the calls made meanwhile into one batch request.
     * A push that the push-server refuses on its own (a bad group name, say) counts as delivered to nobody; a
     * request that fails as a whole (unreachable, timeout, wrong secret) throws.
     */
    @Override
    public int[] send(List<Push> pushes) {
        PushCalls push = client.calls();
        List<CompletableFuture<Integer>> calls = new ArrayList<>(pushes.size());
        for (Push p : pushes) {
            calls.add((p.uid() != null ? push.sendToUid(p.uid(), p.frame(), p.excludeClientIds())
                    : push.sendToGroup(p.group(), p.frame(), p.excludeClientIds())).enqueue());
        }
        int[] delivered = new int[calls.size()];
        for (int i = 0; i < delivered.length; i++) {
            delivered[i] = await(calls.get(i));
        }
        return delivered;
    }

    private int await(CompletableFuture<Integer> call) {
        try {
            // the client fails every call within its own timeout; the bound here only guards against a bug there
            return call.get(2 * client.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadRequestException || e.getCause() instanceof ClientNotFoundException) {
                return 0;
            }
            if (e.getCause() instanceof PushException failure) {
                throw unavailable(failure);
            }
            throw new PushUnavailableException("push failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(false);
            throw new PushUnavailableException("timeout: no answer from the push-server", e);
        } catch (InterruptedException e) {
            call.cancel(false);
            Thread.currentThread().interrupt();
            throw new PushUnavailableException("interrupted while pushing", e);
        }
    }

    @Override
    public void bind(String clientId, String uid, Collection<String> groups, String session) {
        call(() -> {
            PushCalls push = client.calls();
            PushBatch batch = client.batch();
            BatchResult<Void> recorded = batch.add(push.setSession(clientId, Map.of(SESSION_KEY, session)));
            batch.add(push.bindUid(clientId, uid));
            groups.forEach(group -> batch.add(push.joinGroup(clientId, group)));
            batch.execute();
            recorded.get(); // the first operation: the client is connected, or it throws ClientNotFoundException
            return null;
        });
    }

    /** One batch finds the uid's connections' sessions, a second closes those {@code session} bound. */
    @Override
    public int closeSession(String uid, String session) {
        return call(() -> {
            List<String> clientIds = client.getClientIdsByUid(uid);
            PushBatch lookup = client.batch();
            List<BatchResult<Optional<Map<String, Object>>>> sessions = new ArrayList<>();
            clientIds.forEach(id -> sessions.add(lookup.add(client.calls().getSession(id))));
            lookup.execute();
            PushBatch close = client.batch();
            List<BatchResult<Boolean>> closed = new ArrayList<>();
            for (int i = 0; i < clientIds.size(); i++) {
                BatchResult<Optional<Map<String, Object>>> found = sessions.get(i);
                if (found.isSuccess() && found.get().map(s -> session.equals(s.get(SESSION_KEY))).orElse(false)) {
                    closed.add(close.add(client.calls().closeClient(clientIds.get(i))));
                }
            }
            close.execute();
            return (int) closed.stream().filter(c -> c.isSuccess() && c.get()).count();
        });
    }

    @Override
    public void joinGroup(String clientId, String group) {
        call(() -> {
            client.joinGroup(clientId, group);
            return null;
        });
    }

    @Override
    public void leaveGroup(String clientId, String group) {
        call(() -> {
            client.leaveGroup(clientId, group);
            return null;
        });
    }

    @Override
    public List<String> clientIdsOfUid(String uid) {
        return call(() -> client.getClientIdsByUid(uid));
    }

    @Override
    public Map<String, Integer> connectionCounts(Collection<String> uids) {
        List<String> all = List.copyOf(uids);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += LOOKUPS_PER_REQUEST) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUPS_PER_REQUEST));
            call(() -> {
                PushBatch batch = client.batch();
                List<BatchResult<List<String>>> found = chunk.stream()
                        .map(uid -> batch.add(client.calls().getClientIdsByUid(uid))).toList();
                batch.execute();
                for (int i = 0; i < chunk.size(); i++) {
                    counts.put(chunk.get(i), found.get(i).get().size());
                }
                return null;
            });
        }
        return counts;
    }

    @Override
    public List<String> onlineUids() {
        return call(client::getAllUids);
    }

    @Override
    public Map<String, Integer> groups() {
        return call(client::getAllGroups);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> stats() {
        return call(() -> json.convertValue(client.stats(), Map.class));
    }

    @Override
    public void close() {
        client.close();
    }

    /** push-client-lib's failures in this seam's words. */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (ClientNotFoundException e) {
            throw new ClientNotConnectedException(e.getMessage());
        } catch (PushException e) {
            throw unavailable(e);
        }
    }

    private static PushUnavailableException unavailable(PushException e) {
        return new PushUnavailableException(e.code() + ": " + e.getMessage(), e);
    }
}
