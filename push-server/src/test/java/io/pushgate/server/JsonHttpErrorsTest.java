package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.RawHttp;
import java.net.URI;
import java.time.Duration;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP server's own error pages, on a bare Grizzly server with the JSON errors installed. */
class JsonHttpErrorsTest {

    @Test
    void aFailingHandlerIs500WithTheJsonBody() throws Exception {
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("json-errors-test", "127.0.0.1", 0);
        JsonHttpErrors.install(listener, JsonMapper.builder().build());
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) {
                throw new IllegalStateException("a bug");
            }
        }, "/");
        server.start();
        try {
            RawHttp.Reply reply = RawHttp.exchange(URI.create("http://127.0.0.1:" + listener.getPort()),
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofSeconds(2));
            assertEquals(500, reply.status());
            assertEquals("application/json;charset=UTF-8", reply.header("content-type"));
            JsonNode error = AdminTestClient.JSON.readTree(reply.body()).get("error");
            assertEquals("internal_error", error.get("code").stringValue());
            assertEquals("the push-server failed to handle this request", error.get("message").stringValue());
        } finally {
            server.shutdownNow();
        }
    }
}
