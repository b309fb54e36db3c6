// The key of a conversation on a page, which the conversation list and the message pane agree on. It is the
// pages' own: the server's stored key (messages.conversation, `u:<low uid>:<high uid>` or `g:<group_id>`) is never
// sent to pages, and the push-server's group names (`g:<group_id>`, `desk`) are another thing again.

/**
 * `{ peer }`: the 1:1 conversation with that uid; `{ peer, desk: true }`: a customer's conversation with the desk,
 * as agents see it; `{ group }`: a group room.
 */
export function conversationKey({ peer, group, desk = false }) {
  if (group != null) return 'group:' + group;
  return (desk ? 'desk:' : 'peer:') + peer;
}
