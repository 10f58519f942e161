-- The city recovery desk (issue 23): a resident who chose the desk as a helper and lost her phone
-- re-verifies with the bank on her new phone; the bank's one-time code to the phone it holds for
-- her card confirms it; then the desk's clerk key starts (or approves) the recovery on chain.
-- Nothing about her in clear: the identity is the row id of her keyed-hash identity, the code a
-- keyed hash. Tries are spent before a code is compared, in one statement; confirmed_at makes a
-- request good once.
CREATE TABLE recovery_desk_requests (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  qx TEXT NOT NULL,
  qy TEXT NOT NULL,
  devices TEXT NOT NULL,
  phone_last4 TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  tries_left INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  recovery_id TEXT,
  tx_hash TEXT
);
CREATE INDEX recovery_desk_requests_by_account ON recovery_desk_requests (account, created_at);

-- executeRecovery relayed by the service for a new phone, once per recovery id: the row is written
-- before the transaction is sent, so a second click (another tab, a retry) finds it and sends none.
CREATE TABLE recovery_relays (
  recovery_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  tx_hash TEXT,
  created_at BIGINT NOT NULL
);
