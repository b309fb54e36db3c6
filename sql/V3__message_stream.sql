-- The position lock of the messages stream. Every transaction that inserts into messages first locks this one
-- row (SELECT ... FOR UPDATE, MessageStream.lock) and keeps the lock until it commits or rolls back. So ids are
-- allocated only by the one transaction holding the lock, and a transaction that allocates larger ids commits
-- after it: ids become visible in increasing order across any number of web-api instances, which is what
-- /api/sync?after= relies on. A rolled-back batch leaves a gap in the ids, which sync simply steps over.
CREATE TABLE message_stream (
    id  TINYINT NOT NULL COMMENT 'always 1: the one row writers lock',
    PRIMARY KEY (id),
    CONSTRAINT ck_message_stream_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO message_stream (id) VALUES (1);
