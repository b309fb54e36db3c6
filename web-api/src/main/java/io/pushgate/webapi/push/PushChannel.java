package io.pushgate.webapi.push;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What web-api asks of the push-server, in its own words ({@link PushClientChannel} says it with
 * push-client-lib). Every method throws {@link PushUnavailableException}
 * when the push-server cannot be reached or refuses the call; callers decide whether that fails the request
 * (bind) or only loses the push (send: the message is stored and /api/sync recovers it).
 */
public interface PushChannel extends AutoCloseable {

    /** The push-server group of a chat group room. */
    static String groupOf(long groupId) {
        return "g:" + groupId;
    }

    /**
     * One push: {@code frame} to every connection of {@code uid}, or of {@code group} but the excluded ones.
     */
    record Push(String uid, String group, Object frame, Collection<String> excludeClientIds) {
        public static Push toUid(String uid, Object frame) {
            return new Push(uid, null, frame, List.of());
        }

        public static Push toGroup(String group, Object frame) {
            return new Push(null, group, frame, List.of());
        }

        public static Push toGroup(String group, Object frame, Collection<String> excludeClientIds) {
            return new Push(null, group, frame, excludeClientIds);
        }
    }

    /**
     * Makes every push in one round trip to the push-server; returns how many connections each reached, in order.
     */
    int[] send(List<Push> pushes);

    /**
     * In one round trip: records which login {@code session} (an id that is not the token) bound the connection,
     * binds it to {@code uid} and joins it to {@code groups}. Throws {@link ClientNotConnectedException} if it is
     * not connected.
     */
    void bind(String clientId, String uid, Collection<String> groups, String session);

    /**
     * Closes (1000) the connections of {@code uid} that {@code session} bound, in a few round trips whatever their
     * number; returns how many were closed.
     */
    int closeSession(String uid, String session);

    /** Adds a connection to a group; throws {@link ClientNotConnectedException} if it is not connected. */
    void joinGroup(String clientId, String group);

    void leaveGroup(String clientId, String group);

    /** The connections bound to a uid. */
    List<String> clientIdsOfUid(String uid);

    /**
     * How many connections each of {@code uids} has (0 for one with none), in one round trip (one per thousand
     * uids); the map iterates in the order of {@code uids}.
     */
    Map<String, Integer> connectionCounts(Collection<String> uids);

    /** Every uid with at least one connection. */
    List<String> onlineUids();

    /** Every group with its connection count. */
    Map<String, Integer> groups();

    /** The push-server's counters, as it reports them. */
    Map<String, Object> stats();

    @Override
    void close();

    /** The push-server cannot be reached or refused the call. */
    class PushUnavailableException extends RuntimeException {
        public PushUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The client_id is not connected (anymore). */
    class ClientNotConnectedException extends RuntimeException {
        public ClientNotConnectedException(String message) {
            super(message);
        }
    }
}
