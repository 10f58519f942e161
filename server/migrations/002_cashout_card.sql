-- The bank card a cash-out is paid to (last 4 digits), as top-ups already record the card paid
-- from. Nullable: cash-outs requested before this migration have none.
ALTER TABLE cashouts ADD COLUMN card_last4 TEXT;
ALTER TABLE simulated_bank_payouts ADD COLUMN card_last4 TEXT;
