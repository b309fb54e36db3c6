package io.pushgate.webapi.message;

/** The answer to a send: the stored message and whether a recipient had a live connection to push it to. */
public record Sent(Message message, boolean recipientOnline) {
}
