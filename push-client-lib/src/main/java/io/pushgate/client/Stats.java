package io.pushgate.client;

/**
 * Counters of the push-server, from {@link PushClient#stats()}: the fields of {@code stats}'s answer. In cluster
 * mode {@code clients}, {@code uids}, {@code groups} and {@code nodes} count the whole cluster; the others count the
 * node that answered.
 *
 * @param clients open connections
 * @param uids online uids
 * @param groups groups with at least one member
 * @param framesSent frames handed to connections since the node started
 * @param framesDropped frames dropped because a connection's queue was full
 * @param slowClientCloses connections closed for reading too slowly
 * @param nodeId the id of the node that answered
 * @param nodeClients open connections on that node
 * @param connectionsTotal connections that node accepted since it started
 * @param uptimeSeconds how long that node has run
 * @param nodes live push-server nodes (1 on a single node; 0 from a server older than this field)
 */
public record Stats(int clients, int uids, int groups, long framesSent, long framesDropped, long slowClientCloses,
                    String nodeId, int nodeClients, long connectionsTotal, long uptimeSeconds, int nodes) {
}
