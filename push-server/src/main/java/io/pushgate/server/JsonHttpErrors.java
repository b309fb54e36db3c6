package io.pushgate.server;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Note;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives every error that Grizzly answers by itself the contract's JSON body ({@link ErrorBody}) on one listener.
 * Requests the HTTP codec refuses: 400 for a bad request line, method or version, bad headers or Content-Length,
 * a chunked body that lies, a path that is not valid UTF-8 or holds a control character; 414 for a request line
 * over the header limit; 431 for headers over it or too many of them; 417 for an {@code Expect} other than
 * {@code 100-continue}; 405 for TRACE. Each is logged in one line at WARN, without a stack trace, and its
 * connection is closed. And the HTTP server's own error pages (a failing handler: 500).
 *
 * <pre>{@code
 * JsonHttpErrors.install(listener, json); // before the server starts
 * }</pre>
 */
public final class JsonHttpErrors {
    private static final Logger log = LoggerFactory.getLogger(JsonHttpErrors.class);
    private static final Note<String> DETAIL =
            HttpRequestPacket.createNote(JsonHttpErrors.class.getName() + ".detail");

    private final JsonMapper json;

    private JsonHttpErrors(JsonMapper json) {
        this.json = json;
    }

    /** Installs the JSON codec and error pages on {@code listener}. */
    public static void install(NetworkListener listener, JsonMapper json) {
        JsonHttpErrors errors = new JsonHttpErrors(json);
        listener.setDefaultErrorPageGenerator(errors.new Pages());
        listener.registerAddOn(errors.new Codec());
    }

    /** The contract's code for an HTTP status. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 417 -> "expectation_failed";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** The HTTP server's error pages ({@code Response.sendError}, a failing handler) as JSON. */
    private final class Pages implements ErrorPageGenerator {
        @Override
        public String generate(Request request, int status, String reasonPhrase, String description,
                               Throwable exception) {
            request.getResponse().setContentType("application/json");
            request.getResponse().setCharacterEncoding("UTF-8"); // the page goes out through a Writer
            String message = status >= 500 ? "the push-server failed to handle this request"
                    : description == null ? reasonPhrase : description;
            return json.writeValueAsString(ErrorBody.of(code(status), message));
        }
    }

    /** Puts {@link JsonCodecFilter} in place of the stock HTTP codec, with the same settings. */
    private final class Codec implements AddOn {
        @Override
        public void setup(NetworkListener listener, FilterChainBuilder builder) {
            int index = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
            var stock = (org.glassfish.grizzly.http.HttpServerFilter) builder.get(index);
            builder.set(index, new JsonCodecFilter(listener, stock));
        }
    }

    /** Grizzly's HTTP codec, refusing malformed requests with a fitting status and a JSON body. */
    private final class JsonCodecFilter extends org.glassfish.grizzly.http.HttpServerFilter {
        private final int maxHeaderBytes;
        private final int maxHeaders;

        @SuppressWarnings("deprecation") // the stock codec is built with this constructor too (HttpServer)
        JsonCodecFilter(NetworkListener listener, org.glassfish.grizzly.http.HttpServerFilter stock) {
            super(listener.isChunkingEnabled(), maxHeaderBytes(listener), null, listener.getKeepAlive(), null,
                    listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
            this.maxHeaderBytes = maxHeaderBytes(listener);
            this.maxHeaders = listener.getMaxRequestHeaders();
            for (var encoding : stock.getContentEncodings()) {
                addContentEncoding(encoding);
            }
            setAllowPayloadForUndefinedHttpMethods(stock.isAllowPayloadForUndefinedHttpMethods());
            setMaxPayloadRemainderToSkip(stock.getMaxPayloadRemainderToSkip());
            getMonitoringConfig().addProbes(stock.getMonitoringConfig().getProbes());
        }

        private static int maxHeaderBytes(NetworkListener listener) {
            return listener.getMaxHttpHeaderSize() == -1 ? DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                    : listener.getMaxHttpHeaderSize();
        }

        @Override
        protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
            if (super.onHttpHeaderParsed(header, buffer, ctx)) {
                return true;
            }
            HttpRequestPacket request = (HttpRequestPacket) header;
            if (request.getMethod() == Method.TRACE) { // else the HTTP server answers 405, empty
                HttpStatus.METHOD_NOT_ALLOWED_405.setValues(request.getResponse());
                request.setNote(DETAIL, "TRACE is not served");
                return true;
            }
            String expect = request.getHeader(Header.Expect);
            if (expect != null && !"100-continue".equalsIgnoreCase(expect)) { // else the handler answers 417, empty
                HttpStatus.EXPECTATION_FAILED_417.setValues(request.getResponse());
                request.setNote(DETAIL, "the only expectation served is 100-continue");
                return true;
            }
            Method method = request.getMethod(); // the usual methods are tokens: no need to look at their bytes
            boolean token = method == Method.POST || method == Method.GET || isToken(request.getMethodDC().toString());
            String refusal = token ? refusePath(request) : "the method must be an HTTP token";
            if (refusal == null) {
                return false;
            }
            HttpStatus.BAD_REQUEST_400.setValues(request.getResponse());
            request.setNote(DETAIL, refusal);
            return true;
        }

        private static boolean isPlain(String uri) {
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '%') {
                    return false;
                }
            }
            return true;
        }

        private static boolean isToken(String method) {
            for (int i = 0; i < method.length(); i++) {
                char c = method.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 0x80) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                    return false;
                }
            }
            return !method.isEmpty();
        }

        /** Why the path is refused, or null: it must decode to UTF-8 text without control characters. */
        private static String refusePath(HttpRequestPacket request) {
            if (isPlain(request.getRequestURI())) {
                return null; // printable ASCII without escapes decodes to itself (every admin call's path)
            }
            String path;
            try {
                path = request.getRequestURIRef().getDecodedURI(false, StandardCharsets.UTF_8);
            } catch (CharConversionException e) {
                return "the path is not validly %-encoded";
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                    return "the path must be UTF-8 text without control characters";
                }
            }
            return null;
        }

        @Override
        protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable t) throws IOException {
            HttpRequestPacket request = (HttpRequestPacket) header;
            HttpResponsePacket response = request.getResponse();
            try {
                request.getProtocol();
            } catch (IllegalStateException unknown) { // answer in a version the client can read
                request.setProtocol(Protocol.HTTP_1_1);
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof MimeHeaders.MaxHeaderCountExceededException) {
                HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.setValues(response);
                request.setNote(DETAIL, "more than " + maxHeaders + " headers");
            } else if (message.endsWith("too large")) { // Grizzly's words for a request line or headers over the limit
                boolean requestLine = message.contains("initial") || message.contains("intial");
                (requestLine ? HttpStatus.REQUEST_URI_TOO_LONG_414
                        : HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE).setValues(response);
                request.setNote(DETAIL, (requestLine ? "the request line" : "the headers") + " exceed "
                        + maxHeaderBytes + " bytes");
            } else if (response.getStatus() >= 500) { // 505: a version Grizzly does not speak is a malformed request
                HttpStatus.BAD_REQUEST_400.setValues(response);
                request.setNote(DETAIL, "unsupported HTTP version");
            } else if (request.getNote(DETAIL) == null) {
                request.setNote(DETAIL, "malformed HTTP request");
            }
            refused(ctx, response, request.getNote(DETAIL));
            super.onHttpHeaderError(header, ctx, t);
        }

        @Override
        protected void onHttpContentError(HttpHeader header, FilterChainContext ctx, Throwable t) throws IOException {
            HttpRequestPacket request = (HttpRequestPacket) header;
            request.setNote(DETAIL, "malformed request body");
            if (!request.getResponse().isCommitted()) {
                refused(ctx, request.getResponse(), "malformed request body");
            }
            super.onHttpContentError(header, ctx, t);
        }

        private static void refused(FilterChainContext ctx, HttpResponsePacket response, String detail) {
            int status = response.getStatus() < 400 ? 400 : response.getStatus();
            log.warn("refused a malformed HTTP request from {} with {}: {}",
                    ctx.getConnection().getPeerAddress(), status, detail);
        }

        @Override
        protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
            int status = response.getStatus() < 400 ? 400 : response.getStatus();
            String detail = response.getRequest().getNote(DETAIL);
            byte[] bytes = json.writeValueAsBytes(ErrorBody.of(code(status),
                    detail == null ? "malformed HTTP request" : detail));
            // straight into the header block: a response to a request line cut short skips content-type handling
            response.getHeaders().setValue(Header.ContentType).setString("application/json");
            response.setContentLength(bytes.length);
            return HttpContent.builder(response)
                    .content(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes))
                    .last(true).build();
        }
    }
}
