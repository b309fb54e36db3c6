package io.pushgate.examples.springmvc;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pushgate.client.ClientNotFoundException;
import io.pushgate.client.PushClient;
import io.pushgate.client.UnavailableException;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Binds a page's WebSocket connection to the signed-in user and sends them notifications. The uid always comes
 * from the authenticated session ({@link Principal}), never from the request body.
 */
@RestController
@RequestMapping("/api/push")
public class PushController {
    private final PushClient push;

    /** Spring injects the shared client from {@link PushConfig}. */
    public PushController(PushClient push) {
        this.push = push;
    }

    /** The body a page posts after its WebSocket's init frame. */
    public record BindRequest(@JsonProperty("client_id") String clientId) {
    }

    /** A notification for one user. */
    public record Notice(String text) {
    }

    /** Binds the caller's connection to the caller's uid and joins their team's group. */
    @PostMapping("/bind")
    public ResponseEntity<Void> bind(@RequestBody BindRequest request, Principal user) {
        push.bindUid(request.clientId(), user.getName());
        push.joinGroup(request.clientId(), "team-" + teamOf(user));
        return ResponseEntity.noContent().build();
    }

    /** Sends a notice to every open tab of {@code uid}; answers how many connections it reached. */
    @PostMapping("/users/{uid}/notices")
    public Map<String, Object> notify(@PathVariable String uid, @RequestBody Notice notice) {
        int delivered = push.sendToUid(uid, Map.of("type", "notice", "text", notice.text()));
        return Map.of("delivered", delivered, "online", delivered > 0);
    }

    /** The page closed before binding: it binds again when it reconnects. */
    @ExceptionHandler(ClientNotFoundException.class)
    public ResponseEntity<Map<String, Object>> clientGone(ClientNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.code(), "that connection is gone; reconnect and bind again");
    }

    /** The push-server is down: the app keeps working, it just cannot push right now. */
    @ExceptionHandler(UnavailableException.class)
    public ResponseEntity<Map<String, Object>> pushDown(UnavailableException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, "push_unavailable", "live updates are unavailable");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", Map.of("code", code, "message", message)));
    }

    private static String teamOf(Principal user) {
        return "default"; // your app's own lookup
    }
}
