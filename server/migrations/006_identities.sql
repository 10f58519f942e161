-- Issue 22: real-name identities (实名) without names on the chain, per-identity limits, and the
-- simulated bank's card agreements and debits. Never an ID number, a full card number or a phone
-- number in clear: the identity is a keyed hash (HMAC under the service secret 'identity-id') of
-- the ID number; the name is masked (王*芳); a card is its last 4 digits and the bank's token.

-- One row per person. Closing an identity erases what it says about her (name, phone, cards,
-- addresses, consent) and keeps the keyed hash and closed_at, so closing and verifying again is
-- the same person (one share per packet, the same day's limits).
CREATE TABLE identities (
  id TEXT PRIMARY KEY,
  -- HMAC-SHA256 of the normalised ID number (bank level; NULL is kept for a phone-only level to come)
  id_hash TEXT UNIQUE,
  -- HMAC-SHA256 of the phone number (phone level, and the phone the bank confirmed)
  phone_hash TEXT,
  phone_last4 TEXT,
  masked_name TEXT,
  -- 'none' | 'phone' | 'bank'
  level TEXT NOT NULL,
  consent_version TEXT,
  consent_text TEXT,
  consent_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX identities_by_phone ON identities (phone_hash);

-- An address belongs to at most one identity; an identity owns several (passkey account,
-- devices, built-in wallet). Linked only from a session of that address (SIWE).
CREATE TABLE identity_addresses (
  address TEXT PRIMARY KEY,
  identity_id TEXT NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE INDEX identity_addresses_by_identity ON identity_addresses (identity_id);

-- Cards the bank confirmed are hers: the last 4 digits to show, the bank's token to debit by.
CREATE TABLE identity_cards (
  id TEXT PRIMARY KEY,
  identity_id TEXT NOT NULL,
  card_token TEXT NOT NULL UNIQUE,
  card_last4 TEXT NOT NULL,
  bank TEXT NOT NULL,
  bound_at BIGINT NOT NULL
);
CREATE INDEX identity_cards_by_identity ON identity_cards (identity_id);

-- Money moved per identity per Hefei day, checked and counted under the identity's lock.
CREATE TABLE identity_usage (
  identity_id TEXT NOT NULL,
  -- 'YYYY-MM-DD' in Hefei (UTC+8)
  day TEXT NOT NULL,
  -- 'topup' | 'cashout'
  kind TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  PRIMARY KEY (identity_id, day, kind)
);

-- A top-up paid by a bound card: the card (its identity row), the bank's debit waiting for its code.
ALTER TABLE topups ADD COLUMN method TEXT;
ALTER TABLE topups ADD COLUMN identity_id TEXT;
ALTER TABLE topups ADD COLUMN bank_debit_id TEXT;
ALTER TABLE cashouts ADD COLUMN identity_id TEXT;

-- The simulated bank's own records (a real bank keeps these on its side).
CREATE TABLE simulated_bank_bindings (
  token TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  card_index INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE simulated_bank_debits (
  id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  bank_ref TEXT NOT NULL,
  amount_fen TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  tries_left INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT
);
