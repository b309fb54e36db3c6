package io.pushgate.bench;

/**
 * A stand-in server for {@link ServerProcessTest}: prints {@code FAKE_OUTPUT} and the names of its environment
 * variables and, unless {@code FAKE_EXIT} is set,
 * stays up (at most a minute, so that a failed test cannot leave it behind for long) until it is stopped.
 */
public final class FakeServer {
    private FakeServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("environment: " + new java.util.TreeSet<>(System.getenv().keySet()));
        System.out.println(System.getenv("FAKE_OUTPUT"));
        System.out.flush();
        if (System.getenv("FAKE_EXIT") != null) {
            System.exit(3);
        }
        Thread.sleep(60_000);
    }
}
