package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiTest extends StackTest {

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        TestStack.Reply doc = stack.anonymous().get("/api/openapi.json");
        assertEquals(200, doc.status());
        Set<String> documented = new TreeSet<>();
        JsonNode paths = doc.body().get("paths");
        for (Iterator<String> p = paths.propertyNames().iterator(); p.hasNext(); ) {
            String path = p.next();
            for (Iterator<String> m = paths.get(path).propertyNames().iterator(); m.hasNext(); ) {
                documented.add(m.next().toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        assertEquals(new TreeSet<>(stack.api.routes()), documented);
    }
}
