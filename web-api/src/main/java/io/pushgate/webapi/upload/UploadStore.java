package io.pushgate.webapi.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stored images in UPLOAD_DIR, under random names ({@code <32 hex>.<ext>}), served from {@value #URL_PREFIX}.
 * The name's extension comes from the bytes, never from the uploader.
 */
public final class UploadStore {
    /** Where stored images are served. */
    public static final String URL_PREFIX = "/uploads/";
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})\\.(png|jpg|gif|webp)");
    private static final Pattern URL = Pattern.compile(Pattern.quote(URL_PREFIX) + NAME.pattern());

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    public UploadStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create UPLOAD_DIR " + dir + ": " + e.getMessage(), e);
        }
    }

    /** True for a URL this store handed out (the content of an image message). */
    public static boolean isUploadUrl(String url) {
        return url != null && URL.matcher(url).matches();
    }

    /** Stores {@code bytes} of a recognised image and returns its URL. */
    public String store(byte[] bytes, ImageType type) throws IOException {
        byte[] name = new byte[16];
        random.nextBytes(name);
        String file = HexFormat.of().formatHex(name) + "." + type.extension();
        Path tmp = Files.createTempFile(dir, "upload-", ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return URL_PREFIX + file;
    }

    /** A stored image by file name, with its type; empty for names this store never hands out. */
    public Optional<Stored> open(String name) throws IOException {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new Stored(Files.newInputStream(file), ImageType.ofExtension(m.group(2)),
                Files.size(file)));
    }

    /** An open stored image. */
    public record Stored(InputStream content, ImageType type, long size) {
    }
}
