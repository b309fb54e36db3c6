-- Pushgate chat schema. utf8mb4 everywhere (emoji, Chinese); every index a query of web-api relies on is named
-- here, with the query it serves.

CREATE TABLE users (
    uid         BIGINT       NOT NULL AUTO_INCREMENT,
    username    VARCHAR(64)  NOT NULL,
    password    VARCHAR(72)  NOT NULL COMMENT 'bcrypt hash',
    nickname    VARCHAR(64)  NOT NULL,
    headimgurl  VARCHAR(512) NOT NULL DEFAULT '',
    role        ENUM('buyer', 'seller', 'agent', 'support', 'admin') NOT NULL DEFAULT 'buyer',
    created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (uid),
    -- login: WHERE username = ?
    UNIQUE KEY uk_users_username (username),
    -- the desk's agents and account: WHERE role = ?
    KEY ix_users_role (role)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE sessions (
    token_hash  BINARY(32)   NOT NULL COMMENT 'SHA-256 of the session token; the token itself is never stored',
    uid         BIGINT       NOT NULL,
    created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    expires_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (token_hash),
    -- purge of expired sessions: WHERE expires_at < ?
    KEY ix_sessions_expires_at (expires_at),
    CONSTRAINT fk_sessions_user FOREIGN KEY (uid) REFERENCES users (uid) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE products (
    pid         BIGINT        NOT NULL AUTO_INCREMENT,
    seller_uid  BIGINT        NOT NULL,
    title       VARCHAR(200)  NOT NULL,
    price       DECIMAL(12, 2) NOT NULL,
    image       VARCHAR(512)  NOT NULL DEFAULT '',
    created_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (pid),
    -- a seller's products: WHERE seller_uid = ?
    KEY ix_products_seller (seller_uid),
    CONSTRAINT fk_products_seller FOREIGN KEY (seller_uid) REFERENCES users (uid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE chat_groups (
    group_id    BIGINT       NOT NULL AUTO_INCREMENT,
    name        VARCHAR(64)  NOT NULL,
    created_by  BIGINT       NOT NULL,
    created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (group_id),
    CONSTRAINT fk_chat_groups_creator FOREIGN KEY (created_by) REFERENCES users (uid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE group_members (
    group_id    BIGINT       NOT NULL,
    uid         BIGINT       NOT NULL,
    joined_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- members of a group, and "is uid a member of group": WHERE group_id = ? [AND uid = ?]
    PRIMARY KEY (group_id, uid),
    -- a user's groups (bind, sync, conversations): WHERE uid = ?
    KEY ix_group_members_uid (uid, group_id),
    CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES chat_groups (group_id) ON DELETE CASCADE,
    CONSTRAINT fk_group_members_user FOREIGN KEY (uid) REFERENCES users (uid) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per message; ids only grow (AUTO_INCREMENT), which is what paging and /api/sync rely on.
-- conversation: 'u:<low uid>:<high uid>' for a 1:1 pair (the desk is the pair of a customer and the support
-- account), 'g:<group_id>' for a group room.
CREATE TABLE messages (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    conversation  VARCHAR(48)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    author_uid    BIGINT        NOT NULL COMMENT 'who sent it (an agent for a desk answer)',
    from_uid      BIGINT        NOT NULL COMMENT 'who it is shown from (support for a desk answer)',
    to_uid        BIGINT        NULL,
    group_id      BIGINT        NULL,
    type          ENUM('text', 'image', 'product') NOT NULL,
    content       VARCHAR(4000) NOT NULL,
    client_msg_id VARCHAR(64)   NULL,
    created_at    DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    -- idempotent send: one message per (author, client_msg_id)
    UNIQUE KEY uk_messages_author_client_msg (author_uid, client_msg_id),
    -- history of a pair or group (WHERE conversation = ? AND id < ? ORDER BY id DESC), its last message, and its
    -- unread count (WHERE conversation = ? AND id > ?)
    KEY ix_messages_conversation_id (conversation, id),
    -- sync and the conversation list, received side: WHERE to_uid = ? AND id > ?
    KEY ix_messages_to_id (to_uid, id),
    -- sync and the conversation list, sent side: WHERE from_uid = ? AND id > ?
    KEY ix_messages_from_id (from_uid, id),
    -- sync, group side: JOIN group_members ... ON group_id WHERE id > ? (also serves fk_messages_group)
    KEY ix_messages_group_id (group_id, id),
    CONSTRAINT fk_messages_author FOREIGN KEY (author_uid) REFERENCES users (uid),
    CONSTRAINT fk_messages_from FOREIGN KEY (from_uid) REFERENCES users (uid),
    CONSTRAINT fk_messages_to FOREIGN KEY (to_uid) REFERENCES users (uid),
    CONSTRAINT fk_messages_group FOREIGN KEY (group_id) REFERENCES chat_groups (group_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- How far each user has read each conversation; unread counts are the messages after it.
CREATE TABLE read_positions (
    uid           BIGINT       NOT NULL,
    conversation  VARCHAR(48)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    up_to_id      BIGINT       NOT NULL,
    updated_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    -- WHERE uid = ? AND conversation = ?, and every read position of a user: WHERE uid = ?
    PRIMARY KEY (uid, conversation),
    CONSTRAINT fk_read_positions_user FOREIGN KEY (uid) REFERENCES users (uid) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
