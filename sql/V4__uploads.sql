-- Uploaded images in the database every web-api instance shares (UPLOAD_STORE=database, the default), so an
-- image stored through one instance is served by all of them. The URL is /uploads/<id>.<extension>.

CREATE TABLE uploads (
    id          CHAR(32)     CHARACTER SET ascii NOT NULL COMMENT '128 random bits, lowercase hex',
    extension   VARCHAR(4)   CHARACTER SET ascii NOT NULL COMMENT 'png, jpg, gif or webp: from the bytes',
    bytes       MEDIUMBLOB   NOT NULL COMMENT 'at most 5 MiB (UploadController.MAX_BYTES)',
    created_at  DATETIME(3)  NOT NULL,
    -- serving and the image-message check: WHERE id = ? AND extension = ?
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
