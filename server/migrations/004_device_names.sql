-- Names of a passkey account's devices (王阿姨的手机), private to the account: the chain holds only
-- the passkeys' public keys. passkey is x then y, 128 lower-case hex digits without 0x.
CREATE TABLE device_names (
  owner TEXT NOT NULL,
  passkey TEXT NOT NULL,
  name TEXT NOT NULL,
  platform TEXT,
  added_at BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner, passkey)
);
