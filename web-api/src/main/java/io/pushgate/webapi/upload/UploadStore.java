package io.pushgate.webapi.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where uploaded images are kept: an image stored through one web-api instance is served by every instance
 * sharing the store, and a message may name it on any of them. Two backends (UPLOAD_STORE):
 * {@link DatabaseUploadStore}, the default, in the {@code uploads} table of the shared database, and
 * {@link DirectoryUploadStore}, files in UPLOAD_DIR, shared only when every instance mounts the same directory.
 * Stores keep images they are given; the image check (type by content, size) is the controller's.
 */
public interface UploadStore {

    /** Stores {@code bytes} of a recognised image under a new random name and returns that name. */
    UploadName store(byte[] bytes, ImageType type) throws IOException;

    /** A stored image, or empty when this store does not hold {@code name}. */
    Optional<Stored> open(UploadName name) throws IOException;

    /** True when this store holds {@code name}. */
    boolean contains(UploadName name);

    /** True when {@code url} is one this store handed out and still holds (the content of an image message). */
    default boolean holds(String url) {
        Optional<UploadName> name = UploadName.ofUrl(url);
        return name.isPresent() && contains(name.get());
    }

    /** An open stored image. */
    record Stored(InputStream content, ImageType type, long size) {
    }
}
