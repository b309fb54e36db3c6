package io.pushgate.server.admin;

/** An admin call that fails with the contract's status and error code. */
public final class AdminException extends RuntimeException {
    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static AdminException badRequest(String message) {
        return new AdminException(400, "bad_request", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
