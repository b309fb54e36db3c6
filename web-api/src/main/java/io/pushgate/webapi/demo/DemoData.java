package io.pushgate.webapi.demo;

import io.pushgate.webapi.auth.PasswordHasher;
import io.pushgate.webapi.group.ChatGroup;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.product.ProductDao;
import io.pushgate.webapi.user.Role;
import io.pushgate.webapi.user.UserDao;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo marketplace (DEMO_DATA=true): buyers {@code alice} and {@code bob}, seller {@code shop} with products 1
 * and 2, agents {@code agent1} and {@code agent2}, the desk account {@code support}, {@code admin}, and one group
 * room everyone is in. Every password is {@value #PASSWORD}. Loaded once: nothing happens when {@code alice}
 * exists.
 */
public final class DemoData {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    public static final String PASSWORD = "demo";

    /** A demo account. */
    public record Account(String username, String nickname, Role role, String color) {
    }

    public static final List<Account> ACCOUNTS = List.of(
            new Account("alice", "大美如斯", Role.BUYER, "#e57373"),
            new Account("bob", "Bob 小明", Role.BUYER, "#64b5f6"),
            new Account("shop", "好物小店", Role.SELLER, "#81c784"),
            new Account("agent1", "客服小王", Role.AGENT, "#ffb74d"),
            new Account("agent2", "客服小李", Role.AGENT, "#ba68c8"),
            new Account("support", "官方客服", Role.SUPPORT, "#4db6ac"),
            new Account("admin", "管理员", Role.ADMIN, "#90a4ae"));

    private DemoData() {
    }

    /** Loads the demo data unless it is there already; returns whether it loaded. */
    public static boolean load(Jdbi jdbi, PasswordHasher hasher) {
        return jdbi.inTransaction(handle -> {
            UserDao users = handle.attach(UserDao.class);
            if (users.uidOf("alice").isPresent()) {
                return false;
            }
            String hash = hasher.hash(PASSWORD);
            List<Long> uids = new ArrayList<>();
            for (Account a : ACCOUNTS) {
                uids.add(users.insert(a.username(), hash, a.nickname(), avatar(a.nickname(), a.color()),
                        a.role().value()));
            }
            long shop = users.uidOf("shop").orElseThrow();
            ProductDao products = handle.attach(ProductDao.class);
            products.insert(1, shop, "复古机械键盘 Retro mechanical keyboard", new BigDecimal("299.00"),
                    avatar("⌨", "#81c784"));
            products.insert(2, shop, "手冲咖啡壶 Pour-over coffee kettle", new BigDecimal("89.50"),
                    avatar("☕", "#a1887f"));
            GroupDao groups = handle.attach(GroupDao.class);
            long lobby = groups.insert("大厅 Lobby", ChatGroup.PUBLIC, users.uidOf("admin").orElseThrow());
            uids.forEach(uid -> groups.join(lobby, uid));
            log.info("demo data loaded: users {} (password '{}'), products 1 and 2, group {}",
                    ACCOUNTS.stream().map(Account::username).toList(), PASSWORD, lobby);
            return true;
        });
    }

    /** A small self-contained SVG avatar: the first character on a coloured disc. */
    static String avatar(String text, String color) {
        String initial = new String(Character.toChars(text.codePointAt(0)));
        String svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'><circle cx='32' cy='32' r='32' "
                + "fill='" + color + "'/><text x='32' y='42' font-size='28' text-anchor='middle' fill='white'>"
                + initial + "</text></svg>";
        return "data:image/svg+xml," + URLEncoder.encode(svg, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
