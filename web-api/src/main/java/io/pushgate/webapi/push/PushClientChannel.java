package io.pushgate.webapi.push;

import io.pushgate.client.BatchResult;
import io.pushgate.client.ClientNotFoundException;
import io.pushgate.client.PushBatch;
import io.pushgate.client.PushClient;
import io.pushgate.client.PushException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/** {@link PushChannel} over push-client-lib's {@link PushClient}. */
public final class PushClientChannel implements PushChannel {
    private final PushClient client;
    private final ObjectMapper json;

    /** Takes ownership of {@code client}: {@link #close} closes it. */
    public PushClientChannel(PushClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public int[] send(List<Push> pushes) {
        return call(() -> {
            PushBatch batch = client.batch();
            for (Push p : pushes) {
                if (p.uid() != null) {
                    batch.sendToUid(p.uid(), p.frame());
                } else {
                    batch.sendToGroup(p.group(), p.frame(), p.excludeClientIds());
                }
            }
            List<BatchResult<?>> results = batch.execute();
            int[] delivered = new int[results.size()];
            for (int i = 0; i < delivered.length; i++) {
                delivered[i] = results.get(i).isSuccess() ? (Integer) results.get(i).get() : 0;
            }
            return delivered;
        });
    }

    @Override
    public void bindUid(String clientId, String uid) {
        call(() -> {
            client.bindUid(clientId, uid);
            return null;
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
            throw new PushUnavailableException(e.code() + ": " + e.getMessage(), e);
        }
    }
}
