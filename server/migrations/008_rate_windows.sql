-- Issue 24: request limits shared by every instance of the service. One row per limiter and key
-- (`name|key`, e.g. `bank.account|identity:…`): the current fixed window's start, when it ends and
-- how many requests it counted. Rows whose window has ended are swept now and then.
CREATE TABLE rate_windows (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  count INTEGER NOT NULL
);
CREATE INDEX rate_windows_expiry ON rate_windows (expires_at);
