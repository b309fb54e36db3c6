package io.pushgate.webapi.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts a request body that arrives slower than {@code bytesPerSecond} on average, judged from one second after
 * the body was first waited for: the next read returns a {@link TimeoutException} (answered 408). A body that
 * stalls altogether is Jetty's idle timeout's.
 *
 * <p>Jetty 12.1's {@code MinimumDataRateHandler} does the same check but against the bytes read by all requests
 * together (its {@code StatisticsHandler} totals), so under load a trickle is never caught; this one counts per
 * request.
 */
final class MinimumReadRateHandler extends Handler.Wrapper {
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long bytesPerSecond;

    MinimumReadRateHandler(long bytesPerSecond, Handler handler) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new RateCheckedRequest(request), response, callback);
    }

    /** Reads and demands come one after the other (Jetty's contract), so plain fields do. */
    private final class RateCheckedRequest extends Request.Wrapper {
        private long firstDemand;
        private long bytesRead;
        private Content.Chunk failure;

        RateCheckedRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytesRead += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = System.nanoTime();
            if (firstDemand == 0) {
                firstDemand = now;
            } else if (now - firstDemand > GRACE_NANOS
                    && bytesRead * 1_000_000_000.0 / (now - firstDemand) < bytesPerSecond) {
                failure = Content.Chunk.from(new TimeoutException(
                        "the request body arrived slower than " + bytesPerSecond + " bytes/s"));
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }
    }
}
