package io.pushgate.webapi.product;

import io.javalin.http.Context;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.QueryParams;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.math.BigDecimal;
import java.util.List;

/** GET /api/products/{pid} (a card with its seller, for "contact seller") and GET /api/products. */
public final class ProductController {
    static final int MAX_LISTED = 100;

    private final ProductDao products;
    private final UserDao users;

    /** A product and its seller's profile. */
    public record ProductCard(long pid, String title, BigDecimal price, String image, long sellerUid, User seller) {
    }

    /** The catalogue. */
    public record ProductList(List<Product> products) {
    }

    public ProductController(ProductDao products, UserDao users) {
        this.products = products;
        this.users = users;
    }

    public void one(Context ctx) {
        long pid = QueryParams.pathId(ctx, "pid");
        Product p = products.find(pid).orElseThrow(() -> ApiException.notFound("no product " + pid));
        ctx.json(new ProductCard(p.pid(), p.title(), p.price(), p.image(), p.sellerUid(),
                users.find(p.sellerUid()).orElseThrow()));
    }

    public void all(Context ctx) {
        ctx.json(new ProductList(products.all(MAX_LISTED)));
    }
}
