package io.pushgate.webapi.upload;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Optional;

/**
 * Stored images in the {@code uploads} table of the database every web-api instance shares (UPLOAD_STORE=database,
 * the default): nothing else to share or back up, and an image is visible to every instance once its INSERT
 * commits, before its URL is answered. Images are at most 5 MiB, well within the default {@code
 * max_allowed_packet} of MySQL 8 (64 MiB) and MariaDB (16 MiB).
 */
public final class DatabaseUploadStore implements UploadStore {
    private final UploadDao dao;
    private final Clock clock;

    public DatabaseUploadStore(UploadDao dao, Clock clock) {
        this.dao = dao;
        this.clock = clock;
    }

    @Override
    public UploadName store(byte[] bytes, ImageType type) {
        UploadName name = UploadName.random(type);
        dao.insert(name.id(), type.extension(), bytes, clock.instant());
        return name;
    }

    @Override
    public Optional<Stored> open(UploadName name) {
        return dao.bytes(name.id(), name.type().extension())
                .map(bytes -> new Stored(new ByteArrayInputStream(bytes), name.type(), bytes.length));
    }

    @Override
    public boolean contains(UploadName name) {
        return dao.exists(name.id(), name.type().extension());
    }
}
