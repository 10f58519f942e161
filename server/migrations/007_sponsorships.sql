-- Issue 22: sponsorship the city signs. One row per user operation the service signed a
-- sponsorship for: (sender, nonce) is what the EntryPoint runs at most once, so asking again for
-- the same operation (a retry) is not counted twice. `subject` is whom the quota counts against
-- (the account for now, the person once identities land); `day` the Hefei day (YYYY-MM-DD);
-- `creates_account` 1 when the operation deploys its account (initCode).
CREATE TABLE sponsorships (
  sender TEXT NOT NULL,
  nonce TEXT NOT NULL,
  subject TEXT NOT NULL,
  day TEXT NOT NULL,
  creates_account INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (sender, nonce)
);
CREATE INDEX sponsorships_subject_day ON sponsorships (subject, day);
