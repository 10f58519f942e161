// Talking to the city service: Sign-In with Ethereum (EIP-4361) and the session cookie, then the
// resident's private data (profile, contacts), alerts, top-ups and cash-outs. The message is built
// by core/signIn.ts (viem's createSiweMessage); the service checks domain, nonce, chain id, URI,
// issuedAt and expiry itself. Shapes, error codes and limits are core/api.ts, which the service builds from.
import type {
  Alert,
  BankProblem,
  CardTopUpStarted,
  CashOut,
  CityBankAccount,
  Contact,
  DeskSort,
  DeviceName,
  DevicePlatform,
  Page,
  Profile,
  ServiceErrorCode,
  SessionInfo,
  TopUp,
  TopUpState,
} from "@core/api";
import type { IdentityView } from "@core/identity";
import { buildSignInMessage } from "@core/signIn";
import type { Address, Hex } from "viem";
import { serviceUrl } from "../env";

export class CityServiceError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The service's machine-readable code (`invalid_field`, `not_signed_in`, …), when it gave one. */
    readonly code?: ServiceErrorCode,
  ) {
    super(message);
    this.name = "CityServiceError";
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${serviceUrl}${path}`, {
    ...init,
    credentials: "include",
    headers: { ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    // The service answers `{ error: code, message }`; the message is the readable part.
    const { error, message } = (body ?? {}) as { error?: ServiceErrorCode; message?: string };
    throw new CityServiceError(message ?? error ?? `HTTP ${response.status}`, response.status, error);
  }
  return body as T;
}

/** The signed-in address, or null when there is no session. */
export async function currentSession(): Promise<{ address: Address } | null> {
  try {
    return await call<{ address: Address }>("/auth/me");
  } catch (error) {
    if (error instanceof CityServiceError && error.status === 401) return null;
    throw error;
  }
}

export async function signIn(
  address: Address,
  chainId: number,
  signMessage: (message: string) => Promise<Hex>,
): Promise<{ address: Address }> {
  const { nonce } = await call<{ nonce: string }>("/auth/nonce");
  const message = buildSignInMessage({
    address,
    chainId,
    nonce,
    domain: window.location.host,
    uri: window.location.origin,
  });
  const signature = await signMessage(message);
  return call<{ address: Address }>("/auth/verify", { method: "POST", body: JSON.stringify({ message, signature }) });
}

export async function signOut(): Promise<void> {
  await call<unknown>("/auth/logout", { method: "POST" });
}

export const getProfile = (): Promise<Profile> => call<Profile>("/profile");

/** `null` clears a field; the service stores phones as +86 and 11 digits. */
export const putProfile = (profile: { displayName: string | null; phone: string | null }): Promise<Profile> =>
  call<Profile>("/profile", { method: "PUT", body: JSON.stringify(profile) });

export const getContacts = async (): Promise<Contact[]> => (await call<{ contacts: Contact[] }>("/contacts")).contacts;

export const putContact = (address: Address, name: string): Promise<Contact> =>
  call<Contact>(`/contacts/${address}`, { method: "PUT", body: JSON.stringify({ name }) });

export const getDeviceNames = async (): Promise<DeviceName[]> =>
  (await call<{ devices: DeviceName[] }>("/devices")).devices;

export const putDeviceName = (
  passkey: string,
  device: { name: string; platform: DevicePlatform | null; addedAt: number | null },
): Promise<DeviceName> => call<DeviceName>(`/devices/${passkey}`, { method: "PUT", body: JSON.stringify(device) });

/** Forgetting a name the service does not have is not an error either. */
export async function deleteDeviceName(passkey: string): Promise<void> {
  try {
    await call<unknown>(`/devices/${passkey}`, { method: "DELETE" });
  } catch (error) {
    if (!(error instanceof CityServiceError && error.status === 404)) throw error;
  }
}

/** Deleting a contact the service no longer has is not an error: the outcome is the same. */
export async function deleteContact(address: Address): Promise<void> {
  try {
    await call<unknown>(`/contacts/${address}`, { method: "DELETE" });
  } catch (error) {
    if (!(error instanceof CityServiceError && error.status === 404)) throw error;
  }
}

export const getAlerts = async (unreadOnly = false): Promise<Alert[]> =>
  (await call<{ alerts: Alert[] }>(unreadOnly ? "/alerts?unread=true" : "/alerts")).alerts;

export const markAlertRead = (id: string): Promise<unknown> => call(`/alerts/${id}/read`, { method: "POST" });

export const getLargePaymentThreshold = async (): Promise<bigint> =>
  BigInt((await call<{ largePaymentFen: string }>("/settings/alerts")).largePaymentFen);

export const putLargePaymentThreshold = async (fen: bigint): Promise<bigint> =>
  BigInt(
    (
      await call<{ largePaymentFen: string }>("/settings/alerts", {
        method: "PUT",
        body: JSON.stringify({ largePaymentFen: fen.toString() }),
      })
    ).largePaymentFen,
  );

export const requestTopUp = (amountFen: bigint, cardLast4: string): Promise<TopUp> =>
  call<TopUp>("/topups", { method: "POST", body: JSON.stringify({ amountFen: amountFen.toString(), cardLast4 }) });

/** A top-up from her bound card: the bank sends a one-time code (the simulated bank shows it). */
export const requestCardTopUp = (amountFen: bigint, cardLast4?: string): Promise<CardTopUpStarted> =>
  call<CardTopUpStarted>("/topups/card", {
    method: "POST",
    body: JSON.stringify({ amountFen: amountFen.toString(), cardLast4 }),
  });

/** The one-time code from her phone: the card is debited and the deposit confirmed. */
export const confirmCardTopUp = (topUpId: string, code: string): Promise<TopUp> =>
  call<TopUp>(`/topups/${encodeURIComponent(topUpId)}/code`, { method: "POST", body: JSON.stringify({ code }) });

/** Her real-name level, limits and what the service holds about her (实名, server/src/routes/identity.ts). */
export type IdentityAnswer =
  | IdentityView
  | {
      level: "none";
      limits: IdentityView["limits"];
      consentToGive: { version: string; text: { zh: string; en: string } };
    };

export const myIdentity = (): Promise<IdentityAnswer> => call<IdentityAnswer>("/identity");

/** Binds a bank card (the bank checks the four elements) after she agreed to consent `consentVersion`. */
export const bindBankCard = (
  elements: { name: string; idNumber: string; cardNumber: string; phone: string },
  consentVersion: string,
): Promise<IdentityView> =>
  call<IdentityView>("/identity/card", { method: "POST", body: JSON.stringify({ ...elements, consentVersion }) });

/** The phone-verified level: a one-time code to her phone (the simulated gateway shows it). */
export const requestPhoneCode = (
  phone: string,
): Promise<{ phoneLast4: string; expiresAt: number; shownCode?: string }> =>
  call("/identity/phone", { method: "POST", body: JSON.stringify({ phone }) });

export const confirmPhoneCode = (code: string): Promise<IdentityView> =>
  call<IdentityView>("/identity/phone/code", { method: "POST", body: JSON.stringify({ code }) });

export const exportIdentity = (): Promise<{ exportedAt: number; identity: IdentityView }> => call("/identity/export");

export const closeIdentity = (): Promise<{ closed: true }> => call("/identity/close", { method: "POST" });

export const getBankAccount = (): Promise<CityBankAccount> => call<CityBankAccount>("/bank/account");

export const myTopUps = async (): Promise<TopUp[]> => (await call<{ topUps: TopUp[] }>("/topups")).topUps;

export const requestCashOut = (amountFen: bigint, cardLast4: string): Promise<CashOut> =>
  call<CashOut>("/cashouts", { method: "POST", body: JSON.stringify({ amountFen: amountFen.toString(), cardLast4 }) });

export const myCashOuts = async (): Promise<CashOut[]> => (await call<{ cashOuts: CashOut[] }>("/cashouts")).cashOuts;

/** The account's own problems, for its history. */
export const myBankProblems = (): Promise<Page<"problems", BankProblem>> => call("/bank-problems?limit=50");

export type DeskQuery = { state: "open" | TopUpState; owner?: Address; sort: DeskSort; offset: number; limit: number };

/** The issuer's queue, one page at a time (the desk's SIWE session, ISSUER_ROLE on chain). */
export function deskTopUps(q: DeskQuery): Promise<Page<"topUps", TopUp>> {
  const params = new URLSearchParams({
    state: q.state,
    sort: q.sort,
    offset: String(q.offset),
    limit: String(q.limit),
  });
  if (q.owner) params.set("owner", q.owner);
  return call(`/desk/topups?${params}`);
}

export const deskProblems = (
  openOnly: boolean,
  offset: number,
  limit: number,
): Promise<Page<"problems", BankProblem>> => call(`/desk/problems?open=${openOnly}&offset=${offset}&limit=${limit}`);

export const resolveProblem = (id: string, resolution: string): Promise<BankProblem> =>
  call(`/desk/problems/${encodeURIComponent(id)}/resolve`, { method: "POST", body: JSON.stringify({ resolution }) });

export const mySessions = async (): Promise<SessionInfo[]> =>
  (await call<{ sessions: SessionInfo[] }>("/auth/sessions")).sessions;

export const endOtherSession = (id: string): Promise<unknown> =>
  call(`/auth/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });

/** Ends every session of the account, this one included. */
export const signOutEverywhere = (): Promise<{ sessionsEnded: number }> =>
  call("/auth/logout-everywhere", { method: "POST" });

/** The service's co-signature for a verified-residents red packet or a residents-only voucher
 * campaign (see server/src/routes/redPacketTickets.ts). */
export type ResidentTicket = { nullifier: Hex; deadline: string; signature: Hex; contract: Address; chainId: number };

export const getResidentTicket = (packetId: bigint): Promise<ResidentTicket> =>
  call<ResidentTicket>("/redpackets/tickets", {
    method: "POST",
    body: JSON.stringify({ packetId: packetId.toString() }),
  });

export const getVoucherTicket = (campaignId: bigint): Promise<ResidentTicket> =>
  call<ResidentTicket>("/vouchers/tickets", {
    method: "POST",
    body: JSON.stringify({ campaignId: campaignId.toString() }),
  });

// ---- The merchant API, managed by the shop owner (server/src/api: keys and webhook endpoints) ----

export type ApiScope = "receipts:read" | "requests:write" | "refunds:write";
export type ApiKeyInfo = {
  id: string;
  label: string;
  scopes: ApiScope[];
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
};
export type WebhookEndpointInfo = { id: string; url: string; events: string[]; createdAt: number };
export type WebhookAttempt = {
  eventId: string;
  type: string;
  attempt: number;
  at: number;
  httpStatus: number | null;
  error: string | null;
  delivery: string;
};

export const myApiKeys = async (): Promise<ApiKeyInfo[]> => (await call<{ keys: ApiKeyInfo[] }>("/merchant/keys")).keys;

/** The answer's `key` is the only copy of the key there will ever be. */
export const createApiKey = (label: string, scopes: ApiScope[]): Promise<ApiKeyInfo & { key: string }> =>
  call("/merchant/keys", { method: "POST", body: JSON.stringify({ label, scopes }) });

export const revokeApiKey = (id: string): Promise<ApiKeyInfo> =>
  call(`/merchant/keys/${encodeURIComponent(id)}`, { method: "DELETE" });

export const myWebhookEndpoints = async (): Promise<WebhookEndpointInfo[]> =>
  (await call<{ endpoints: WebhookEndpointInfo[] }>("/merchant/webhook-endpoints")).endpoints;

/** The answer's `secret` is shown once. */
export const createWebhookEndpoint = (url: string): Promise<WebhookEndpointInfo & { secret: string }> =>
  call("/merchant/webhook-endpoints", { method: "POST", body: JSON.stringify({ url }) });

export const rotateWebhookSecret = (id: string): Promise<{ secret: string }> =>
  call(`/merchant/webhook-endpoints/${encodeURIComponent(id)}/rotate-secret`, { method: "POST" });

export const deleteWebhookEndpoint = (id: string): Promise<{ deleted: boolean }> =>
  call(`/merchant/webhook-endpoints/${encodeURIComponent(id)}`, { method: "DELETE" });

export const webhookAttempts = async (id: string): Promise<WebhookAttempt[]> =>
  (await call<{ attempts: WebhookAttempt[] }>(`/merchant/webhook-endpoints/${encodeURIComponent(id)}/attempts`))
    .attempts;

export const replayWebhook = (id: string, eventId: string): Promise<WebhookAttempt> =>
  call(`/merchant/webhook-endpoints/${encodeURIComponent(id)}/events/${encodeURIComponent(eventId)}/replay`, {
    method: "POST",
  });

// ---- 找回账户 through the city recovery desk, and finishing a recovery (no session: a new phone) ----

export type DeskDevice = { passkey: string; name: string; platform: string | null };
export type DeskStarted = {
  id: string;
  account: Address;
  phoneLast4: string;
  expiresAt: number;
  /** The account's named devices still on it: what "remove the lost phones" removes. */
  devices: DeskDevice[];
  /** Seconds the desk alone waits (7 days on the city chain). */
  deskDelay: number;
  /** Only the simulated gateway shows the code; a real one texts it. */
  shownCode?: string;
};
export type DeskConfirmed = {
  account: Address;
  recoveryId: Hex;
  approvals: number;
  threshold: number;
  readyAt: number;
  lost: { qx: Hex; qy: Hex }[];
  removed: DeskDevice[];
};

/** The bank re-verifies her (four elements); the service sends a code to the phone the bank holds. */
export const startDeskRecovery = (
  elements: { name: string; idNumber: string; cardNumber: string; phone: string },
  key: { qx: Hex; qy: Hex },
): Promise<DeskStarted> => call("/recovery/desk", { method: "POST", body: JSON.stringify({ ...elements, ...key }) });

/** The code from her phone: the desk starts the recovery on chain. */
export const confirmDeskRecovery = (id: string, code: string, removeLost: boolean): Promise<DeskConfirmed> =>
  call(`/recovery/desk/${encodeURIComponent(id)}/confirm`, {
    method: "POST",
    body: JSON.stringify({ code, removeLost }),
  });

/** Asks the service to finish a recovery that is ready on chain (it sends executeRecovery once). */
export const finishRecovery = (request: {
  account: Address;
  qx: Hex;
  qy: Hex;
  lost: readonly { qx: Hex; qy: Hex }[];
}): Promise<{ done?: boolean; sending?: boolean; txHash?: Hex | null }> =>
  call("/recovery/finish", { method: "POST", body: JSON.stringify(request) });
