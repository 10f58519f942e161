-- Issue 25: the merchant API. A shop's API keys: `id` is the public part of the key
-- (hcy_live_<id>_<secret>), `secret_hash` the SHA-256 of the whole key (the key itself is shown
-- once and never stored), `shop` the lower-case address the key acts for, `scopes` space-separated.
-- A revoked key keeps its row (revoked_at) so the shop sees what it revoked.
CREATE TABLE merchant_api_keys (
  id TEXT PRIMARY KEY,
  shop TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_used_at BIGINT
);
CREATE INDEX merchant_api_keys_shop ON merchant_api_keys (shop);
-- Payment requests made through the API. `order_ref` is the bytes32 CityYuan.pay records,
-- `order_text` what the shop sent. One request per shop and order reference: two open requests
-- for one order would make "which one was paid" ambiguous. `from_block` is the head when the
-- request was made (a payment is looked for from there). The paid_* columns cache a payment
-- found at least HCY_CONFIRMATIONS deep, so it is not looked for again.
CREATE TABLE merchant_payment_requests (
  id TEXT PRIMARY KEY,
  shop TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  order_text TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  from_block BIGINT NOT NULL,
  payment_id TEXT,
  payer TEXT,
  paid_fen TEXT,
  paid_tx TEXT,
  paid_block BIGINT,
  UNIQUE (shop, order_ref)
);
CREATE INDEX merchant_payment_requests_shop ON merchant_payment_requests (shop, created_at);
-- Idempotency keys of POSTs through the API, per shop: the hash of what was asked (method, path,
-- body) and, once answered, the status and body of the answer, replayed for the same key.
-- status is NULL while the first request is still being answered.
CREATE TABLE merchant_idempotency (
  shop TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shop, idem_key)
);
