-- The phone-verified level (issue 22): a one-time code sent to her phone by the SMS gateway. Never
-- the phone number in clear: a challenge is the keyed hash (HMAC under the service secret
-- 'identity-id') of the phone, its last 4 digits and a keyed hash of the code.

-- One row per code sent. Tries are spent before a code is compared, in one statement, so however
-- many guesses arrive at once only PHONE_CODE_TRIES are ever compared; verified_at makes a code
-- good once.
CREATE TABLE phone_challenges (
  id TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  phone_hash TEXT NOT NULL,
  phone_last4 TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  tries_left INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  verified_at BIGINT
);
CREATE INDEX phone_challenges_by_address ON phone_challenges (address, created_at);
CREATE INDEX phone_challenges_by_phone ON phone_challenges (phone_hash, created_at);

-- A phone-only identity (id_hash NULL, level 'phone') that a bank-card verification of the same
-- person absorbed: its addresses and today's usage moved to the bank identity, and it stays closed
-- with the keyed hash of its phone, so verifying that phone again finds the person it became.
ALTER TABLE identities ADD COLUMN merged_into TEXT;
