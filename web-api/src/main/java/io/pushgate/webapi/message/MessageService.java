package io.pushgate.webapi.message;

import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.group.Membership;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.product.ProductDao;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.push.PushChannel.Push;
import io.pushgate.webapi.upload.UploadStore;
import io.pushgate.webapi.user.UserDao;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending and reading: validates, rate-limits, stores, then pushes. A message is stored before anything is
 * pushed; a push-server that cannot be reached loses only the push (pages recover it through /api/sync).
 * Storing goes through the {@link MessageWriter}, which commits many sends at once and in id order.
 */
public final class MessageService {
    private static final Logger log = LoggerFactory.getLogger(MessageService.class);
    static final int MAX_TEXT_CODE_POINTS = 2000;
    static final Set<String> TYPES = Set.of("text", "image", "product");
    private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** MySQL/MariaDB: a foreign key names a row that does not exist. */
    private static final int ER_NO_REFERENCED_ROW = 1452;
    private static final Pattern PRODUCT_ID = Pattern.compile("[1-9][0-9]{0,18}");

    private final MessageDao messages;
    private final MessageWriter writer;
    private final ReadPositionDao readPositions;
    private final UserDao users;
    private final GroupDao groups;
    private final ProductDao products;
    private final UploadStore uploads;
    private final DeskService desk;
    private final PushChannel push;
    private final RateLimiter sends;
    private final RateLimiter reads;
    private final Clock clock;

    /** Where a message goes once validated. */
    private record Route(String conversation, long fromUid, Long toUid, Long groupId) {
    }

    /**
     * @param sends every send, replays of a client_msg_id included (a replay pushes again)
     * @param reads every read position move, group rooms included (a 1:1 read pushes a receipt)
     */
    public MessageService(MessageDao messages, MessageWriter writer, ReadPositionDao readPositions, UserDao users,
                          GroupDao groups, ProductDao products, UploadStore uploads, DeskService desk,
                          PushChannel push, RateLimiter sends, RateLimiter reads, Clock clock) {
        this.messages = messages;
        this.writer = writer;
        this.readPositions = readPositions;
        this.users = users;
        this.groups = groups;
        this.products = products;
        this.uploads = uploads;
        this.desk = desk;
        this.push = push;
        this.sends = sends;
        this.reads = reads;
        this.clock = clock;
    }

    /** The outcome of a send: {@code replayed} when the client_msg_id had been sent before. */
    public record Outcome(Sent sent, boolean replayed) {
    }

    /** Sends a message from {@code caller}; see the class comment for the order of things. */
    public Outcome send(Caller caller, SendRequest request) {
        validateShape(request);
        sends.acquire(caller.uid()); // before anything touches the database: a refusal costs no connection
        Route route = route(caller, request);
        validateContent(request);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long id;
        try {
            id = writer.insert(new MessageWriter.Row(route.conversation(), caller.uid(), route.fromUid(),
                    route.toUid(), route.groupId(), request.type(), request.content(), request.clientMsgId(), now));
        } catch (MessageWriter.AlreadyStored stored) { // the writer looked the client_msg_id up with its batch
            return replay(caller, request, route)
                    .orElseThrow(() -> new IllegalStateException("message " + stored.id() + " vanished"));
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException violation) {
                if (violation.getErrorCode() == ER_NO_REFERENCED_ROW) { // fk_messages_to: checked by the insert itself
                    throw ApiException.notFound("no user " + route.toUid());
                }
                if (request.clientMsgId() != null) {
                    // the same client_msg_id raced us in (in the same batch): the other request stored it
                    Optional<Outcome> replayed = replay(caller, request, route);
                    if (replayed.isPresent()) {
                        return replayed.get();
                    }
                }
            }
            throw e;
        }
        Message message = new Message(id, route.fromUid(), route.toUid(), route.groupId(), request.type(),
                request.content(), now, request.clientMsgId());
        return new Outcome(new Sent(message, deliver(caller, message)), false);
    }

    /**
     * A resend of the message stored under the request's client_msg_id, if there is one: pushed again (pages drop
     * duplicates by id), never stored twice; 409 if the request is a different message.
     */
    private Optional<Outcome> replay(Caller caller, SendRequest request, Route route) {
        return messages.findByClientMsgId(caller.uid(), request.clientMsgId())
                .map(earlier -> new Outcome(replay(caller, request, route, earlier), true));
    }

    private Sent replay(Caller caller, SendRequest request, Route route, MessageDao.Stored earlier) {
        if (!route.conversation().equals(earlier.conversation()) || !request.type().equals(earlier.type())
                || !request.content().equals(earlier.content())) {
            throw new ApiException(409, "client_msg_id_reused",
                    "client_msg_id " + request.clientMsgId() + " was already used for a different message");
        }
        return new Sent(earlier.message(), deliver(caller, earlier.message()));
    }

    private static void validateShape(SendRequest r) {
        if ((r.toUid() == null) == (r.groupId() == null)) {
            throw ApiException.badRequest("exactly one of to_uid and group_id is required");
        }
        if (r.type() == null || !TYPES.contains(r.type())) {
            throw ApiException.badRequest("type must be one of text, image, product");
        }
        if (r.content() == null) {
            throw ApiException.badRequest("content is required");
        }
        if (r.clientMsgId() != null && !CLIENT_MSG_ID.matcher(r.clientMsgId()).matches()) {
            throw ApiException.badRequest("client_msg_id must be 1-64 letters, digits or _ . : -");
        }
        if (Boolean.TRUE.equals(r.fromDesk()) && r.toUid() == null) {
            throw ApiException.badRequest("from_desk answers go to a customer's to_uid");
        }
    }

    private Route route(Caller caller, SendRequest r) {
        if (r.groupId() != null) {
            long gid = r.groupId();
            Membership.require(groups, gid, caller.uid());
            return new Route(ConversationKey.group(gid), caller.uid(), null, gid);
        }
        long to = r.toUid();
        if (Boolean.TRUE.equals(r.fromDesk())) {
            long support = desk.answerAs(caller, to);
            return new Route(ConversationKey.pair(to, support), support, to, null);
        }
        if (to == caller.uid()) {
            throw ApiException.badRequest("to_uid is yourself");
        }
        return new Route(ConversationKey.pair(caller.uid(), to), caller.uid(), to, null);
    }

    private void requireUser(long uid) {
        if (users.find(uid).isEmpty()) {
            throw ApiException.notFound("no user " + uid);
        }
    }

    private void validateContent(SendRequest r) {
        String content = r.content();
        switch (r.type()) {
            case "text" -> {
                if (content.isBlank()) {
                    throw ApiException.badRequest("content must not be blank");
                }
                if (content.codePointCount(0, content.length()) > MAX_TEXT_CODE_POINTS) {
                    throw new ApiException(413, "content_too_long",
                            "text is limited to " + MAX_TEXT_CODE_POINTS + " characters");
                }
            }
            case "image" -> {
                if (!uploads.holds(content)) { // in the shared store: an image any instance can serve
                    throw ApiException.badRequest("an image message's content is the url POST /api/uploads returned");
                }
            }
            case "product" -> {
                if (!PRODUCT_ID.matcher(content).matches() || products.find(Long.parseLong(content)).isEmpty()) {
                    throw ApiException.badRequest("a product message's content is an existing product id");
                }
            }
            default -> throw new IllegalStateException(r.type());
        }
    }

    /**
     * Pushes a stored message to everyone who should see it, in one round trip: the recipient (or the room, or
     * every online agent) and the sender's own connections. Returns whether a recipient had a live connection.
     */
    private boolean deliver(Caller caller, Message message) {
        Frames.MessageFrame frame = new Frames.MessageFrame(message);
        String author = caller.pushUid();
        try {
            if (message.groupId() != null) { // the sender's connections are in the room too: count only others
                List<String> own = push.clientIdsOfUid(author);
                int[] delivered = push.send(List.of(
                        Push.toGroup(PushChannel.groupOf(message.groupId()), frame, own), Push.toUid(author, frame)));
                return delivered[0] > 0;
            }
            long to = Objects.requireNonNull(message.toUid());
            // a customer writes to the desk: every agent; an agent's answer: every agent sees it
            Push recipient = toUidOrDesk(to, Long.toString(to), frame);
            Push echo = toUidOrDesk(message.fromUid(), author, frame);
            return push.send(List.of(recipient, echo))[0] > 0;
        } catch (RuntimeException e) {
            log.warn("message {} stored but not pushed: {}", message.id(), e.toString());
            return false;
        }
    }

    /** To the desk's push group when {@code shownUid} is the desk account (see {@link DeskService#isDesk}). */
    private Push toUidOrDesk(long shownUid, String pushUid, Object frame) {
        return desk.isDesk(shownUid) ? Push.toGroup(DeskService.PUSH_GROUP, frame) : Push.toUid(pushUid, frame);
    }

    /**
     * Moves the caller's read position in a conversation with {@code peer} (or, with {@code asDesk}, in the desk
     * conversation with customer {@code peer}) and pushes a read receipt to the other side.
     */
    public void markRead(Caller caller, long peer, long upToId, boolean asDesk) {
        if (upToId < 1) {
            throw ApiException.badRequest("up_to_id must be a positive message id");
        }
        if (peer == caller.uid()) {
            throw ApiException.badRequest("peer is yourself");
        }
        String conversation;
        long reader; // who has read, as the other side sees it
        if (asDesk) {
            long support = desk.readAs(caller);
            conversation = ConversationKey.pair(peer, support);
            reader = support;
        } else {
            conversation = ConversationKey.pair(caller.uid(), peer);
            reader = caller.uid();
        }
        reads.acquire(caller.uid());
        requireUser(peer);
        readPositions.moveTo(caller.uid(), conversation, upToId);
        Frames.ReadFrame receipt = new Frames.ReadFrame(reader, upToId);
        try {
            push.send(List.of(desk.isDesk(peer) // a customer read the desk's answers: the agents learn it
                    ? Push.toGroup(DeskService.PUSH_GROUP, new Frames.ReadFrame(caller.uid(), upToId))
                    : Push.toUid(Long.toString(peer), receipt)));
        } catch (RuntimeException e) {
            log.warn("read position of {} stored but the receipt not pushed: {}", caller.uid(), e.toString());
        }
    }

    /** Moves the caller's read position in a group room; group reads send no receipt. */
    public void markGroupRead(Caller caller, long groupId, long upToId) {
        if (upToId < 1) {
            throw ApiException.badRequest("up_to_id must be a positive message id");
        }
        reads.acquire(caller.uid());
        Membership.require(groups, groupId, caller.uid());
        readPositions.moveTo(caller.uid(), ConversationKey.group(groupId), upToId);
    }
}
