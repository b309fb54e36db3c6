package io.pushgate.webapi.product;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code products} table. */
@RegisterConstructorMapper(Product.class)
public interface ProductDao {

    @SqlQuery("SELECT pid, title, price, image, seller_uid FROM products WHERE pid = :pid")
    Optional<Product> find(@Bind("pid") long pid);

    @SqlQuery("SELECT pid, title, price, image, seller_uid FROM products ORDER BY pid LIMIT :limit")
    List<Product> all(@Bind("limit") int limit);

    @SqlUpdate("INSERT INTO products (pid, seller_uid, title, price, image) "
            + "VALUES (:pid, :seller, :title, :price, :image)")
    void insert(@Bind("pid") long pid, @Bind("seller") long sellerUid, @Bind("title") String title,
                @Bind("price") BigDecimal price, @Bind("image") String image);
}
