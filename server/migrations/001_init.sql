-- The city service's first schema. Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Times are milliseconds since the epoch (BIGINT); token amounts are decimal strings of fen
-- (TEXT), because uint256 does not fit any SQL integer; addresses are lower-case 0x hex.

-- Sign-in: single-use nonces and sessions (only a hash of the session id is stored).
CREATE TABLE siwe_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  -- set when spent; the row stays until it expires so a replay is told apart from a made-up nonce
  used_at BIGINT
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  chain_id INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Private data, always keyed by the signed-in owner.
CREATE TABLE profiles (
  owner TEXT PRIMARY KEY,
  display_name TEXT,
  phone TEXT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE contacts (
  owner TEXT NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  -- first and last 4 hex digits, for spotting look-alike (poisoning) addresses
  head4 TEXT NOT NULL,
  tail4 TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner, address)
);
CREATE INDEX contacts_look_alike ON contacts (owner, head4, tail4);
CREATE TABLE order_notes (
  owner TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  note TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner, order_ref)
);
CREATE TABLE alert_settings (
  owner TEXT PRIMARY KEY,
  large_payment_fen TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The chain watcher: where it is, and the token movements it has seen.
CREATE TABLE chain_cursor (
  id TEXT PRIMARY KEY,
  chain_id INTEGER NOT NULL,
  block_number BIGINT NOT NULL,
  block_hash TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE chain_transfers (
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  block_number BIGINT NOT NULL,
  block_hash TEXT NOT NULL,
  block_time BIGINT NOT NULL,
  from_addr TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX chain_transfers_out ON chain_transfers (from_addr, block_time);
CREATE INDEX chain_transfers_pair ON chain_transfers (from_addr, to_addr);
CREATE INDEX chain_transfers_block ON chain_transfers (block_number);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  kind TEXT NOT NULL,
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  block_number BIGINT NOT NULL,
  block_time BIGINT NOT NULL,
  counterparty TEXT NOT NULL,
  amount TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  UNIQUE (owner, kind, tx_hash, log_index)
);
CREATE INDEX alerts_by_owner ON alerts (owner, block_number);
CREATE INDEX alerts_by_block ON alerts (block_number);

-- Top-ups (bank deposit -> issue) and cash-outs (redeem -> bank pay-out).
CREATE TABLE topups (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  card_last4 TEXT NOT NULL,
  bank_ref TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deposit_id TEXT,
  issuer TEXT,
  issued_tx TEXT,
  issued_block BIGINT,
  issued_amount TEXT,
  problem TEXT
);
CREATE INDEX topups_by_owner ON topups (owner, created_at);
CREATE INDEX topups_by_state ON topups (state, created_at);
CREATE TABLE cashouts (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  bank_ref TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  redeemed_tx TEXT,
  redeemed_block BIGINT,
  redeemed_amount TEXT,
  payout_id TEXT,
  problem TEXT
);
CREATE INDEX cashouts_by_owner ON cashouts (owner, created_at);
CREATE INDEX cashouts_by_state ON cashouts (state);

-- The simulated bank's own ledger of pay-outs (a real bank keeps its own).
CREATE TABLE simulated_bank_payouts (
  bank_ref TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  paid_at BIGINT NOT NULL
);
