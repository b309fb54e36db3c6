-- ARGV: prefix, node, limit. Removes up to limit of the node's clients, and the node once none is left; returns
-- how many clients were removed (call again while that equals limit).
return purge_node(ARGV[2], tonumber(ARGV[3]))
