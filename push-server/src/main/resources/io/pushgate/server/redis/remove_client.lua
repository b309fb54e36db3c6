-- ARGV: prefix, client_id. 1 when it was known.
return remove_client(ARGV[2])
