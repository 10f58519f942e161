-- Issue 21: a session remembers which signer of a passkey account opened it (the ERC-7913 signer
-- bytes: verifier ‖ x ‖ y), so removing that passkey ends the sessions it opened. NULL for an EOA
-- or a wallet whose signature names no signer.
ALTER TABLE sessions ADD COLUMN signer TEXT;
