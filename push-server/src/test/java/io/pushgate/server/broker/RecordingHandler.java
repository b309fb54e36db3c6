package io.pushgate.server.broker;

import io.pushgate.server.hub.OutboundFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node's connections, reduced to a set of client_ids: records every frame and close a broker hands it, as
 * {@code "<client_id> <payload>"} and {@code "close <client_id> <payload or null>"}.
 */
public final class RecordingHandler implements DeliveryHandler {
    public final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public int deliverLocal(Collection<String> clientIds, OutboundFrame frame) {
        int n = 0;
        for (String id : clientIds) {
            if (connected.contains(id)) {
                events.add(id + " " + payload(frame));
                n++;
            }
        }
        return n;
    }

    @Override
    public int deliverLocalToAll(OutboundFrame frame, Set<String> excludeClientIds) {
        int n = 0;
        for (String id : connected.stream().sorted().toList()) {
            if (!excludeClientIds.contains(id)) {
                events.add(id + " " + payload(frame));
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean closeLocal(String clientId, OutboundFrame lastFrame) {
        if (!connected.remove(clientId)) {
            return false;
        }
        events.add("close " + clientId + " " + (lastFrame == null ? null : payload(lastFrame)));
        return true;
    }

    /** The next event, waiting up to five seconds; null if none came. */
    public String next() throws InterruptedException {
        return events.poll(5, TimeUnit.SECONDS);
    }

    /** The events recorded so far, without waiting. */
    public int pending() {
        return events.size();
    }

    /** The text of a frame of under 126 bytes, as {@link OutboundFrame#text} encodes it. */
    private static String payload(OutboundFrame frame) {
        byte[] bytes = frame.bytes();
        return new String(Arrays.copyOfRange(bytes, 2, bytes.length), StandardCharsets.UTF_8);
    }
}
