package io.pushgate.webapi.http;

/** The contract's error body: {@code {"error":{"code":"…","message":"…"}}}. */
public record ErrorBody(Error error) {

    /** The code is stable and machine-readable; the message is for people. */
    public record Error(String code, String message) {
    }

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Error(code, message));
    }
}
