-- Issue 25: insights of the merchant API. A random salt per shop: the API names a customer only by
-- HMAC(salt of the shop, payer address), so a pseudonym links to nothing at any other shop.
CREATE TABLE merchant_insight_salts (
  shop TEXT PRIMARY KEY,
  salt TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
