package io.pushgate.webapi.http;

/** The in-memory backend against the shared contract. */
class MemoryRateLimiterTest extends RateLimiterContract {
    @Override
    protected RateLimiter.Factory buckets() {
        return MemoryRateLimiter.factory(System::nanoTime);
    }
}
