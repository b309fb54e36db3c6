package io.pushgate.webapi.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Stored images as files in UPLOAD_DIR, one per image, named by its {@link UploadName} (UPLOAD_STORE=directory).
 * Shared by several web-api instances only if every one mounts the same directory (NFS, a shared volume); a file
 * appears whole (written aside, then moved), so an instance never serves half an image.
 */
public final class DirectoryUploadStore implements UploadStore {
    private final Path dir;

    public DirectoryUploadStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create UPLOAD_DIR " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public UploadName store(byte[] bytes, ImageType type) throws IOException {
        UploadName name = UploadName.random(type);
        Path tmp = Files.createTempFile(dir, "upload-", ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, dir.resolve(name.fileName()), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return name;
    }

    @Override
    public Optional<Stored> open(UploadName name) throws IOException {
        Path file = dir.resolve(name.fileName());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new Stored(Files.newInputStream(file), name.type(), Files.size(file)));
    }

    @Override
    public boolean contains(UploadName name) {
        return Files.isRegularFile(dir.resolve(name.fileName()));
    }
}
