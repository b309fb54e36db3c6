package io.pushgate.webapi.upload;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a stored image, {@code <32 hex>.<ext>}: 128 random bits, so a name cannot be guessed, and the
 * extension of its {@link ImageType} (from its bytes, never from the uploader). Served at {@value #URL_PREFIX}.
 *
 * @param id   the 32 lowercase hex digits
 * @param type the image's type
 */
public record UploadName(String id, ImageType type) {
    /** Where stored images are served. */
    public static final String URL_PREFIX = "/uploads/";
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})\\.(png|jpg|gif|webp)");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random name for an image of {@code type}. */
    static UploadName random(ImageType type) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return new UploadName(HexFormat.of().formatHex(id), type);
    }

    /** The name in a file name such as {@code 0f…e1.png}; empty for anything a store never hands out. */
    public static Optional<UploadName> ofFileName(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Optional.of(new UploadName(m.group(1), ImageType.ofExtension(m.group(2))))
                : Optional.empty();
    }

    /** The name in a URL a store handed out ({@code /uploads/0f…e1.png}); empty for any other string. */
    public static Optional<UploadName> ofUrl(String url) {
        return url != null && url.startsWith(URL_PREFIX) ? ofFileName(url.substring(URL_PREFIX.length()))
                : Optional.empty();
    }

    /** {@code <id>.<ext>} */
    public String fileName() {
        return id + "." + type.extension();
    }

    /** Where the image is served. */
    public String url() {
        return URL_PREFIX + fileName();
    }
}
