-- Issue 12: the bank ledger beside the request state machine, problems for whatever does not fit,
-- a secret for stateless sign-in nonces, and what a resident needs to recognise their sessions.

-- Every Issued and Redeemed event the watcher saw, matched to a request or not. Rows are only ever
-- added; a reorg that removes an event sets orphaned_at (the row stays, as evidence).
CREATE TABLE bank_events (
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  -- 'issued' | 'redeemed'
  kind TEXT NOT NULL,
  block_number BIGINT NOT NULL,
  block_hash TEXT NOT NULL,
  bank_ref TEXT NOT NULL,
  -- Issued.to or Redeemed.account
  account TEXT NOT NULL,
  -- Issued.issuer (NULL for Redeemed)
  issuer TEXT,
  amount TEXT NOT NULL,
  -- the top-up or cash-out this event settled, NULL when it settled none (then a problem says why)
  request_id TEXT,
  seen_at BIGINT NOT NULL,
  orphaned_at BIGINT,
  -- the same log mined again in another block after a reorg is a new row
  PRIMARY KEY (tx_hash, log_index, block_hash)
);
CREATE INDEX bank_events_by_ref ON bank_events (bank_ref);
CREATE INDEX bank_events_by_block ON bank_events (block_number);

-- Whatever did not fit a request: shown on the desk and in the account's history until the desk
-- resolves it with a note. Never deleted.
CREATE TABLE bank_problems (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  -- whose history shows it (the account on chain, or the request's owner)
  account TEXT NOT NULL,
  request_id TEXT,
  bank_ref TEXT NOT NULL,
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  block_number BIGINT NOT NULL,
  amount TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT,
  resolution TEXT,
  UNIQUE (kind, tx_hash, log_index)
);
CREATE INDEX bank_problems_by_account ON bank_problems (account, created_at);
CREATE INDEX bank_problems_open ON bank_problems (resolved_at, created_at);

-- The desk's queue pages and sorts by time and amount over open requests.
CREATE INDEX topups_by_created ON topups (created_at);
CREATE INDEX cashouts_by_created ON cashouts (state, created_at);

-- Secrets the service generates once and shares between its instances (HMAC keys).
CREATE TABLE service_secrets (
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Sessions: what the resident sees in their sessions list.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
CREATE INDEX sessions_by_address ON sessions (address, created_at);
