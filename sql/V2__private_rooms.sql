-- Group rooms are public (listed, anyone may join) or private (seen only by members and invitees, joined only
-- by the creator's invite). Rooms created before this migration, the demo lobby among them, stay public.

ALTER TABLE chat_groups
    ADD COLUMN visibility ENUM('public', 'private') NOT NULL DEFAULT 'public' AFTER name,
    -- the room list's public part: WHERE visibility = 'public' (GroupDao.all)
    ADD KEY ix_chat_groups_visibility (visibility, group_id);

CREATE TABLE group_invites (
    group_id    BIGINT       NOT NULL,
    uid         BIGINT       NOT NULL COMMENT 'who is invited',
    invited_by  BIGINT       NOT NULL,
    created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- "is uid invited to group" (join, and a room's visibility): WHERE group_id = ? AND uid = ?
    PRIMARY KEY (group_id, uid),
    -- the room list's invited part: WHERE uid = ? (GroupDao.all)
    KEY ix_group_invites_uid (uid, group_id),
    CONSTRAINT fk_group_invites_group FOREIGN KEY (group_id) REFERENCES chat_groups (group_id) ON DELETE CASCADE,
    CONSTRAINT fk_group_invites_user FOREIGN KEY (uid) REFERENCES users (uid) ON DELETE CASCADE,
    CONSTRAINT fk_group_invites_inviter FOREIGN KEY (invited_by) REFERENCES users (uid) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
