// Turns a refusal from the city service into words in the resident's language. The service
// answers `{ error: code, message }` in English with the field first ("phone: must be …"), so the
// code and the field pick a message here; anything unrecognised is shown with the service's own
// text rather than hidden.
import { formatFen } from "@core/money";
import { CityServiceError } from "./cityService";

export type ServiceErrorKey =
  | "serviceUnreachable"
  | "notSignedIn"
  | "fieldMissing"
  | "fieldTooLong"
  | "fieldInvalid"
  | "phoneInvalid"
  | "cardInvalid"
  | "amountOutOfRange"
  | "addressInvalid"
  | "contactSelf"
  | "contactExists"
  | "tooManyContacts"
  | "tooManyOpenRequests"
  | "tooManyNotes"
  | "invisibleCharacters"
  | "tooManyRequests"
  | "dailyWriteLimit"
  | "serviceBusy"
  | "forbiddenOrigin"
  // Real-name verification (实名) and card top-ups.
  | "idNumberFormat"
  | "idNumberBirthDate"
  | "idNumberCheckDigit"
  | "cardholderName"
  | "cardholderIdNumber"
  | "cardholderCardNumber"
  | "cardholderPhone"
  | "consentRequired"
  | "accountOfAnotherPerson"
  | "notVerified"
  | "notVerifiedAny"
  | "noCard"
  | "dailyLimit"
  | "bankDeclined"
  | "codeWrong"
  // 找回账户 through the city recovery desk.
  | "deskOtherPerson"
  | "deskNoAccount"
  | "deskChooseAccount"
  | "deskNotChosen"
  | "deskPending"
  | "alreadyPasskey"
  | "deskCodeExpired"
  | "deskCodeTries"
  | "deskStartAgain"
  | "deskUnavailable"
  | "recoveryNotReady"
  | "recoveryNotPending"
  // The merchant API's keys and webhooks, managed by the shop owner.
  | "notAShop"
  | "tooManyKeys"
  | "webhookUrlInvalid"
  | "tooManyWebhooks"
  | "webhookDeliveryPending"
  | "noDeployment"
  | "notFound"
  | "serviceRefused";

export type FieldKey =
  | "field_displayName"
  | "field_phone"
  | "field_name"
  | "field_address"
  | "field_amountFen"
  | "field_cardLast4"
  | "field_largePaymentFen"
  | "field_other";

export type ServiceErrorText = {
  key: ServiceErrorKey;
  /** The field the service named, to be translated and passed as {field}. */
  field?: FieldKey;
  vars?: Record<string, string | number>;
};

const FIELDS: Record<string, FieldKey> = {
  displayName: "field_displayName",
  phone: "field_phone",
  name: "field_name",
  address: "field_address",
  amountFen: "field_amountFen",
  cardLast4: "field_cardLast4",
  largePaymentFen: "field_largePaymentFen",
};

/** "phone: must be …" -> phone; "name is required" -> name; "name must be at most 40 …" -> name. */
function fieldOf(message: string): string | undefined {
  return /^([A-Za-z0-9]+)(?::| is required| must be at most| must not contain)/.exec(message)?.[1];
}

function isNetworkFailure(error: unknown): boolean {
  // fetch rejects with a TypeError when the service cannot be reached at all.
  return error instanceof TypeError || (error instanceof Error && /Failed to fetch|NetworkError/i.test(error.message));
}

export function describeServiceError(error: unknown): ServiceErrorText {
  if (!(error instanceof CityServiceError)) {
    if (isNetworkFailure(error)) return { key: "serviceUnreachable" };
    return { key: "serviceRefused", vars: { message: error instanceof Error ? error.message : String(error) } };
  }
  const rawField = fieldOf(error.message);
  const field = rawField === undefined ? undefined : (FIELDS[rawField] ?? "field_other");
  switch (error.code) {
    case "not_signed_in":
    case "signer_removed":
      return { key: "notSignedIn" };
    case "forbidden_origin":
      return { key: "forbiddenOrigin" };
    case "missing_field":
      return { key: "fieldMissing", field: field ?? "field_other" };
    case "field_too_long": {
      const max = /at most (\d+)/.exec(error.message)?.[1] ?? "?";
      return { key: "fieldTooLong", field: field ?? "field_other", vars: { max } };
    }
    case "invalid_field": {
      if (/cannot add yourself/.test(error.message)) return { key: "contactSelf" };
      if (rawField === "phone") return { key: "phoneInvalid" };
      if (rawField === "cardLast4") return { key: "cardInvalid" };
      if (rawField === "address") return { key: "addressInvalid" };
      const range = /between (\d+) and (\d+) fen/.exec(error.message);
      if (range?.[1] && range[2]) {
        return {
          key: "amountOutOfRange",
          field: field ?? "field_other",
          vars: { min: formatFen(BigInt(range[1])), max: formatFen(BigInt(range[2])) },
        };
      }
      return { key: "fieldInvalid", field: field ?? "field_other", vars: { message: error.message } };
    }
    case "contact_exists":
      return { key: "contactExists" };
    case "too_many_contacts":
      return { key: "tooManyContacts" };
    case "too_many_open_requests":
      return { key: "tooManyOpenRequests" };
    case "too_many_notes":
    case "storage_quota_exceeded":
      return { key: "tooManyNotes" };
    case "invisible_characters":
    case "combining_marks":
      return { key: "invisibleCharacters", field: field ?? "field_other" };
    case "too_many_requests":
    case "too_many_tickets":
    case "service_busy":
    case "rate_limited":
      return { key: "tooManyRequests" };
    case "daily_write_limit":
    case "writing_too_fast":
      return { key: "dailyWriteLimit" };
    case "id_number_format":
      return { key: "idNumberFormat" };
    case "id_number_birth_date":
      return { key: "idNumberBirthDate" };
    case "id_number_check_digit":
      return { key: "idNumberCheckDigit" };
    case "cardholder_name":
      return { key: "cardholderName" };
    case "cardholder_idNumber":
      return { key: "cardholderIdNumber" };
    case "cardholder_cardNumber":
      return { key: "cardholderCardNumber" };
    case "cardholder_phone":
      return { key: "cardholderPhone" };
    case "consent_required":
      return { key: "consentRequired" };
    case "address_of_another_identity":
      return { key: "accountOfAnotherPerson" };
    case "not_verified":
      // A card top-up needs her bound card; a transfer top-up or a cash-out needs any verification.
      return /^Verify who you are/.test(error.message) ? { key: "notVerifiedAny" } : { key: "notVerified" };
    case "no_card":
      return { key: "noCard" };
    case "daily_limit": {
      const left = /: (\d+) fen left/.exec(error.message)?.[1];
      return { key: "dailyLimit", vars: { left: left === undefined ? "—" : formatFen(BigInt(left)) } };
    }
    case "bank_declined":
      return /code is wrong/.test(error.message) ? { key: "codeWrong" } : { key: "bankDeclined" };
    case "desk_other_person":
      return { key: "deskOtherPerson" };
    case "desk_no_account":
      return { key: "deskNoAccount" };
    case "desk_choose_account":
      return { key: "deskChooseAccount" };
    case "desk_not_chosen":
      return { key: "deskNotChosen" };
    case "desk_recovery_pending":
      return { key: "deskPending" };
    case "already_passkey":
      return { key: "alreadyPasskey" };
    case "desk_code_wrong":
      return { key: "codeWrong" };
    case "desk_code_expired":
      return { key: "deskCodeExpired" };
    case "desk_code_tries":
      return { key: "deskCodeTries" };
    case "no_desk_request":
    case "desk_already_confirmed":
      return { key: "deskStartAgain" };
    case "desk_unavailable":
      return { key: "deskUnavailable" };
    case "recovery_not_ready":
      return { key: "recoveryNotReady" };
    case "recovery_not_pending":
      return { key: "recoveryNotPending" };
    case "not_a_shop":
      return { key: "notAShop" };
    case "too_many_keys":
      return { key: "tooManyKeys" };
    case "webhook_url_invalid":
      return { key: "webhookUrlInvalid" };
    case "too_many_webhooks":
      return { key: "tooManyWebhooks" };
    case "webhook_delivery_pending":
      return { key: "webhookDeliveryPending" };
    case "no_deployment":
      return { key: "noDeployment" };
    case "not_found":
      return { key: "notFound" };
    case "database_locked":
    case "database_unreachable":
    case "chain_unavailable":
      return { key: "serviceBusy" };
    default:
      return { key: "serviceRefused", vars: { message: error.message } };
  }
}
