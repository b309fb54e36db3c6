package io.pushgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {
    @Test
    void runsEachActionOnceLastAddedFirstEvenAfterOneFails() {
        List<String> ran = new ArrayList<>();
        Teardown teardown = new Teardown();
        teardown.add(() -> ran.add("drop database"));
        teardown.add(() -> {
            ran.add("stop web-api");
            throw new IllegalStateException("already gone");
        });
        teardown.add(() -> ran.add("stop push-server"));
        teardown.close();
        teardown.close();
        assertEquals(List.of("stop push-server", "stop web-api", "drop database"), ran);
    }
}
