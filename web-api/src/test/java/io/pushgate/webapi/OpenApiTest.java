package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.webapi.auth.Access;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiTest extends StackTest {

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExistsWithTheSameAccess() {
        TestStack.Reply doc = stack.anonymous().get("/api/openapi.json");
        assertEquals(200, doc.status());
        Map<String, Boolean> documented = new TreeMap<>(); // each operation: is it documented without security?
        JsonNode paths = doc.body().get("paths");
        for (Iterator<String> p = paths.propertyNames().iterator(); p.hasNext(); ) {
            String path = p.next();
            for (Iterator<String> m = paths.get(path).propertyNames().iterator(); m.hasNext(); ) {
                String method = m.next();
                JsonNode security = paths.get(path).get(method).get("security");
                documented.put(method.toUpperCase(Locale.ROOT) + " " + path, security != null && security.isEmpty());
            }
        }
        assertEquals(new TreeSet<>(stack.api.routes()), documented.keySet());
        Map<String, Boolean> declared = new TreeMap<>(); // each route: is it Access.PUBLIC?
        stack.api.routeRoles().forEach((route, roles) -> declared.put(route, roles.contains(Access.PUBLIC)));
        assertEquals(declared, documented, "the public routes are those the document marks with no security");
    }
}
