package io.pushgate.webapi.message;

/**
 * The key a message is stored under ({@code messages.conversation}): {@code u:<lower uid>:<higher uid>} for a pair
 * (the desk is the pair of a customer and the support account), {@code g:<group_id>} for a group room.
 */
public final class ConversationKey {
    private ConversationKey() {
    }

    public static String pair(long a, long b) {
        return "u:" + Math.min(a, b) + ":" + Math.max(a, b);
    }

    public static String group(long groupId) {
        return "g:" + groupId;
    }

    /** The two uids of a pair key, or {@code null} for a group key. */
    public static long[] uidsOf(String key) {
        if (!key.startsWith("u:")) {
            return null;
        }
        int colon = key.indexOf(':', 2);
        return new long[] {Long.parseLong(key.substring(2, colon)), Long.parseLong(key.substring(colon + 1))};
    }
}
