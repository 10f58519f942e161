// The contract between the city service (server/) and the dApp (web/src/service): the JSON shapes
// each route answers, the machine-readable error codes, and the limits both sides enforce. The
// service builds these shapes and the dApp reads them, so a changed field fails `tsc` on both
// sides instead of drifting (the dApp's TopUp once lacked `owner`).
import type { Address, Hex } from "viem";

// ---- Limits (the service refuses beyond them; the dApp checks first to say why in words) ----

/** A top-up or cash-out request is at most 50,000 元 (the bank card's per-request limit). */
export const MAX_REQUEST_FEN = 5_000_000n;
/** A resident's "large payment" alert threshold: one billion 元 is beyond any real payment. */
export const MAX_THRESHOLD_FEN = 100_000_000_000n;
/** Display names and contact names, in user-perceived characters. */
export const MAX_NAME_CHARS = 40;
/** A merchant's order note, in characters. */
export const MAX_NOTE_CHARS = 500;
/** Per resident. */
export const MAX_CONTACTS = 500;
export const MAX_NOTES = 5000;
/** A device's name (王阿姨的手机), in user-perceived characters. */
export const MAX_DEVICE_NAME_CHARS = 24;
/** Named devices per passkey account. */
export const MAX_DEVICE_NAMES = 50;
/** The brands and kinds of device a name can say (guessed from the browser's user agent). */
export const DEVICE_PLATFORMS = [
  "huawei",
  "honor",
  "xiaomi",
  "oppo",
  "vivo",
  "samsung",
  "iphone",
  "ipad",
  "mac",
  "windows",
  "android",
  "computer",
] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];
/** Open top-up and cash-out requests per resident, against someone filling the desk's queue. */
export const MAX_OPEN_REQUESTS = 20;

// ---- Error codes: every answer that is not 2xx is `{ error: ServiceErrorCode, message }` ----

export type SiweErrorCode =
  | "siwe_malformed"
  | "siwe_wrong_domain"
  | "siwe_wrong_chain"
  | "siwe_wrong_uri"
  | "siwe_bad_issued_at"
  | "siwe_stale"
  | "siwe_no_expiry"
  | "siwe_expiry_too_far"
  | "siwe_expired"
  | "siwe_not_yet_valid"
  | "siwe_unknown_nonce"
  | "siwe_expired_nonce"
  | "siwe_replayed_nonce"
  | "siwe_bad_signature";

export type ServiceErrorCode =
  | SiweErrorCode
  | "expected_object"
  | "malformed_json"
  | "unknown_field"
  | "missing_field"
  | "invalid_field"
  | "field_too_long"
  | "unsupported_media_type"
  | "body_too_large"
  | "not_signed_in"
  | "signer_removed"
  | "forbidden_origin"
  | "not_issuer"
  | "not_found"
  | "not_pending"
  | "issue_in_flight"
  | "contact_exists"
  | "too_many_contacts"
  | "too_many_notes"
  | "too_many_devices"
  | "storage_quota_exceeded"
  | "writing_too_fast"
  | "too_many_open_requests"
  | "rate_limited"
  | "too_many_requests"
  | "service_busy"
  | "daily_write_limit"
  | "invisible_characters"
  | "combining_marks"
  | "already_resolved"
  | "chain_unavailable"
  | "database_locked"
  | "database_unreachable"
  // Resident tickets for verified-residents red packets (server/src/routes/redPacketTickets.ts).
  | "not_verified"
  | "tickets_unavailable"
  | "no_deployment"
  | "no_checkpoint"
  | "checkpoint_unreadable"
  | "too_many_tickets"
  | "ticket_target_closed"
  // Real-name identity (server/src/identity, server/src/routes/identity.ts).
  | "id_number_format"
  | "id_number_birth_date"
  | "id_number_check_digit"
  | "cardholder_name"
  | "cardholder_idNumber"
  | "cardholder_cardNumber"
  | "cardholder_phone"
  | "consent_required"
  | "address_of_another_identity"
  | "no_identity"
  | "no_card"
  | "daily_limit"
  | "bank_declined"
  // The phone-verified level (POST /identity/phone, /identity/phone/code).
  | "already_verified"
  | "no_phone_code"
  | "phone_code_expired"
  | "phone_code_tries"
  | "phone_code_wrong"
  | "phone_of_verified_person"
  // 找回账户 through the city recovery desk, and finishing a recovery (server/src/routes/recoveryDesk.ts).
  | "desk_unavailable"
  | "desk_other_person"
  | "desk_no_account"
  | "desk_choose_account"
  | "desk_not_chosen"
  | "desk_recovery_pending"
  | "already_passkey"
  | "no_desk_request"
  | "desk_already_confirmed"
  | "desk_code_expired"
  | "desk_code_tries"
  | "desk_code_wrong"
  | "recovery_not_pending"
  | "recovery_not_ready"
  // The merchant API (server/src/api).
  | "invalid_api_key"
  | "api_key_revoked"
  | "insufficient_scope"
  | "not_a_shop"
  | "other_shop"
  | "too_many_keys"
  | "amount_missing"
  | "amount_ambiguous"
  | "amount_not_number"
  | "amount_negative"
  | "amount_zero"
  | "amount_too_many_decimals"
  | "amount_too_large"
  | "expiry_too_short"
  | "expiry_too_long"
  | "order_ref_invalid"
  | "order_ref_exists"
  | "invalid_date"
  | "not_paid"
  | "already_refunded"
  | "refund_too_large"
  | "idempotency_key_reused"
  | "idempotency_in_progress"
  | "webhook_url_invalid"
  | "too_many_webhooks"
  | "webhook_delivery_pending"
  | "internal";

export type ServiceErrorBody = { error: ServiceErrorCode; message: string };

// ---- Private data ----

export type Profile = { displayName: string | null; phone: string | null; updatedAt: number | null };

export type Contact = { address: Address; name: string; createdAt: number; updatedAt: number };
/**
 * The name of one device (passkey) of the signed-in account. `passkey` is its public key, x then y,
 * 128 lower-case hex digits without 0x; the chain holds the key, the service only its name.
 */
export type DeviceName = {
  passkey: string;
  name: string;
  platform: DevicePlatform | null;
  addedAt: number | null;
  updatedAt: number;
};

// ---- Alerts ----

export type AlertKind =
  | "large_payment"
  | "payment_burst"
  | "first_payment"
  | "payment_to_look_alike"
  | "address_poisoning"
  | "recovery_started"
  | "recovery_approved"
  | "recovery_executed"
  | "recoveries_cancelled"
  | "guardians_change_scheduled";

export type Alert = {
  id: string;
  /** A kind this build does not know yet (a newer service) is shown with general words. */
  kind: AlertKind | (string & {});
  txHash: Hex;
  logIndex: number;
  blockNumber: number;
  /** Seconds. */
  blockTime: number;
  counterparty: Address;
  amountFen: string;
  details: Record<string, unknown>;
  createdAt: number;
  readAt: number | null;
};

// ---- Top-ups and cash-outs ----

export type TopUpState =
  | "awaiting_deposit"
  | "deposit_confirmed"
  | "issued"
  | "declined"
  | "rejected"
  | "expired"
  | "mismatch";
export type CashOutState = "awaiting_redeem" | "redeemed" | "paid" | "expired" | "mismatch";

/** Where a resident sends the money for a top-up: the city bank's receiving account (GET /bank/account). */
export type CityBankAccount = { holder: string; bank: string; number: string };

/**
 * The reference a resident writes on her bank transfer so the bank can match the deposit to her
 * top-up request: "HCY" and the first 10 characters of the request id, upper case (no 0x, no
 * hash: it is read aloud at a bank counter).
 */
export function depositReference(topUpId: string): string {
  return `HCY${topUpId
    .replace(/[^0-9a-zA-Z]/g, "")
    .slice(0, 10)
    .toUpperCase()}`;
}

export type TopUp = {
  id: string;
  owner: Address;
  amountFen: string;
  cardLast4: string;
  bankRef: Hex;
  state: TopUpState;
  createdAt: number;
  updatedAt: number;
  issuedTx: Hex | null;
  problem: string | null;
  /** Paid by bank transfer (with the reference as the note) or from her bound card with a one-time code. */
  method: "transfer" | "card";
};

/** A card top-up just asked for: the bank sent a one-time code to the phone ending in phoneLast4. */
export type CardTopUpStarted = {
  topUp: TopUp;
  code: {
    phoneLast4: string;
    expiresAt: number;
    /** Only the simulated bank shows the code here; a real bank sends it by SMS. */
    shownCode?: string;
  };
};

export type CashOut = {
  id: string;
  owner: Address;
  amountFen: string;
  /** Last four digits of the card to pay (null for requests made before cards were recorded). */
  cardLast4: string | null;
  bankRef: Hex;
  state: CashOutState;
  createdAt: number;
  updatedAt: number;
  redeemedTx: Hex | null;
  payoutId: string | null;
  problem: string | null;
};

/** A page of a list the service pages (`?offset=&limit=`, limit at most MAX_PAGE). */
export type Page<K extends string, T> = { [key in K]: T[] } & { total: number };
export const MAX_PAGE = 100;

/** How the desk's queue can be sorted (`GET /desk/topups?sort=`). */
export type DeskSort = "oldest" | "newest" | "amount_desc" | "amount_asc";
export const DESK_SORTS: readonly DeskSort[] = ["oldest", "newest", "amount_desc", "amount_asc"];

// ---- Bank reconciliation: what the ledger of Issued / Redeemed found that does not fit ----

export type BankProblemKind =
  | "issued_without_request"
  | "issued_twice"
  | "issued_before_deposit"
  | "issued_for_rejected"
  | "issued_for_declined"
  | "issued_for_expired"
  | "issued_amount_differs"
  | "issued_to_other"
  | "issue_reorged"
  | "redeemed_without_request"
  | "redeemed_others_reference"
  | "redeemed_twice"
  | "redeemed_amount_differs"
  | "payout_reorged";

export type BankProblem = {
  id: string;
  kind: BankProblemKind;
  /** Whose history shows it: the account on chain, or the request's owner. */
  account: Address;
  requestId: string | null;
  bankRef: Hex;
  txHash: Hex;
  logIndex: number;
  blockNumber: number;
  amountFen: string;
  details: Record<string, unknown>;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: Address | null;
  resolution: string | null;
};

// ---- Sessions ----

/** One of the account's sessions as its owner sees it (never the session id itself). */
export type SessionInfo = {
  id: string;
  createdAt: number;
  expiresAt: number;
  userAgent: string | null;
  current: boolean;
};
