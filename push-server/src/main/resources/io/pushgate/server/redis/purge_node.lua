-- ARGV: prefix, node. Removes the node and every client it held; the number of clients removed.
return purge_node(ARGV[2])
