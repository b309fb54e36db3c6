package io.pushgate.webapi.product;

import java.math.BigDecimal;

/** A product card: what a buyer sees before contacting {@code sellerUid}. */
public record Product(long pid, String title, BigDecimal price, String image, long sellerUid) {
}
