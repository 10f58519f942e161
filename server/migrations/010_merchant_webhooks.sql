-- Issue 25: webhooks of the merchant API (Standard Webhooks). A shop's endpoints, each with its
-- signing secret (whsec_…, needed in clear to sign) and, for a day after a rotation, the
-- previous one (both sign meanwhile). Events are stored before anything is sent: one row per
-- event, `dedupe` (e.g. payment.received:<request id>) makes an event happen once. A delivery is
-- one event to one endpoint: pending until delivered or out of retries (failed), `next_at` the
-- next try (a sender holds it by moving next_at ahead, so two instances never send it at once).
-- Every attempt is kept for the shop to see.
CREATE TABLE merchant_webhook_endpoints (
  id TEXT PRIMARY KEY,
  shop TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_until BIGINT,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX merchant_webhook_endpoints_shop ON merchant_webhook_endpoints (shop);
CREATE TABLE merchant_webhook_events (
  id TEXT PRIMARY KEY,
  shop TEXT NOT NULL,
  type TEXT NOT NULL,
  dedupe TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE merchant_webhook_deliveries (
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX merchant_webhook_deliveries_due ON merchant_webhook_deliveries (state, next_at);
CREATE TABLE merchant_webhook_attempts (
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at BIGINT NOT NULL,
  http_status INTEGER,
  error TEXT,
  PRIMARY KEY (event_id, endpoint_id, attempt)
);
