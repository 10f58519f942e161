// Shared pieces of the HTTP layer: the app's context types, JSON body reading, and the guard
// that puts the signed-in address (and only it) in front of every private route.
import type { JsonRpcProvider } from "ethers";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, parseAbi, slice } from "viem";
import type { CheckpointShelf } from "./api/auditCheckpoints.js";
import type { InsightsSource } from "./api/insights.js";
import type { ShopLedger } from "./api/ledger.js";
import { endSession, endSessionsOfSigner, findSession, type Session } from "./auth/sessions.js";
import type { BankRequests } from "./bank/requests.js";
import type { WatcherStatus } from "./chain/ChainWatcher.js";
import type { IssuerCheck } from "./chain/issuerRole.js";
import type { RecoveryDeskChain } from "./chain/recoveryDesk.js";
import type { ServerConfig } from "./config.js";
import type { ConnectionGuard } from "./connections.js";
import { ApiError } from "./errors.js";
import { Identities } from "./identity/identities.js";
import type { SmsGateway } from "./identity/SmsGateway.js";
import type { Database } from "./storage/Database.js";
import { asObject, type Body } from "./validate.js";

/** Over HTTPS the cookie is `__Host-hcy_session` (Secure, Path=/, no Domain: a sibling host cannot set it). */
export const SESSION_COOKIE = "hcy_session";

/** The session id the request carries: the `__Host-` cookie, or the plain one while any allowed origin is http. */
export function sessionIdOf(c: Context, config: Pick<ServerConfig, "allowedOrigins">): string | undefined {
  const host = getCookie(c, SESSION_COOKIE, "host");
  if (host !== undefined) return host;
  return config.allowedOrigins.some((o) => o.startsWith("http:")) ? getCookie(c, SESSION_COOKIE) : undefined;
}

export interface AppDeps {
  config: ServerConfig;
  db: Database;
  bank: BankRequests;
  /** For EIP-1271 (contract wallet) signatures; EOAs verify without it. */
  provider: JsonRpcProvider | undefined;
  /** Whether a passkey account still has this signer (default: asked through `provider`). */
  isAccountSigner?: (account: Address, signer: Hex) => Promise<boolean>;
  /** Whether an address holds ISSUER_ROLE on CityYuan (asked of the chain; `fresh` skips any cache). */
  isIssuer: IssuerCheck;
  /**
   * Whether an `Issued` event with this bank reference is on the chain at its head. The desk asks
   * before a reject (a reject must not race an issue already sent); without it (no deployment
   * known) a reject is refused with 503.
   */
  issuedOnChain?: (bankRef: Hex) => Promise<boolean>;
  /** The account's next EntryPoint nonce for `key` (default: asked through `provider`); sponsorship signs only that one. */
  accountNonce?: (sender: Address, key: bigint) => Promise<bigint>;
  /** The latest block's time in seconds (default: asked of `provider`); undefined when unknown. */
  chainTime?: () => Promise<number | undefined>;
  /**
   * Whether red packet / voucher campaign `id` on `contract` is open to resident claims now: missing
   * (no such id), closed (not a residents' one, expired, all claimed, ended) or open (default:
   * asked through `provider`).
   */
  ticketTarget?: (kind: "redPacket" | "vouchers", contract: Address, id: bigint) => Promise<TicketTargetState>;
  /** Real-name identities (default: made from `db` and the bank behind `bank`). */
  identities?: Identities;
  /** The text-message gateway of the phone-verified level (default: the simulated one, which shows the code). */
  sms?: SmsGateway;
  /** The city recovery desk's clerk key on CityRecovery; without it the desk and finishing routes answer 503. */
  recoveryDesk?: RecoveryDeskChain;
  watcherStatus?: () => WatcherStatus;
  /** What the merchant API reads from the chain (shops, payments, refunds); without it those routes answer 503. */
  shopLedger?: ShopLedger;
  /** What the merchant API's insights read from the chain; without it GET /api/v1/insights answers 503. */
  insightsSource?: InsightsSource;
  /** The auditor's latest signed checkpoint, published read-only; without it the route answers 503. */
  auditCheckpoints?: CheckpointShelf;
  /** Merchant API requests per key and minute (default 600). */
  merchantApiRatePerMinute?: number;
  /** The connection guard (main.ts): a request on a connection kept for signed-in residents needs a session. */
  connections?: ConnectionGuard;
  now?: () => number;
}

const identitiesByDeps = new WeakMap<AppDeps, Identities>();

/** The app's identities: the ones given, or one made once per app from its database and bank. */
export function identitiesOf(deps: AppDeps): Identities {
  let identities = deps.identities ?? identitiesByDeps.get(deps);
  if (identities === undefined) {
    identities = new Identities(deps.db, deps.bank.bank);
    identitiesByDeps.set(deps, identities);
  }
  return identities;
}

export type TicketTargetState = "missing" | "closed" | "open";

export type AppEnv = {
  Variables: {
    session: Session;
    sessionId: string;
  };
};

export type AppContext = Context<AppEnv>;

export async function readJson(c: Context): Promise<Body> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as application/json");
  }
  const raw = await c.req.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, "malformed_json", "The request body is not valid JSON");
  }
  return asObject(parsed);
}

const cityAccountPasskeyAbi = parseAbi(["function isPasskey(bytes32 qx, bytes32 qy) view returns (bool)"]);

/**
 * Whether `signer` (a passkey's `x ‖ y`, see `signerOf`) is still a passkey of the account, asked of the chain through the
 * provider. An account with no code yet (signed in with ERC-6492 before its first operation) has
 * exactly the passkey it will be created with, which cannot have been removed.
 */
export function accountSignerCheck(provider: JsonRpcProvider): (account: Address, signer: Hex) => Promise<boolean> {
  return async (account, signer) => {
    if ((await provider.getCode(account)) === "0x") return true;
    if ((signer.length - 2) / 2 !== 64) return false;
    const result = await provider.call({
      to: account,
      data: encodeFunctionData({
        abi: cityAccountPasskeyAbi,
        functionName: "isPasskey",
        args: [slice(signer, 0, 32), slice(signer, 32, 64)],
      }),
    });
    return decodeFunctionResult({ abi: cityAccountPasskeyAbi, functionName: "isPasskey", data: result as Hex });
  };
}

/** Recent "still a signer" answers, per app: account:signer -> until (ms). */
const signerAnswers = new WeakMap<AppDeps, Map<string, number>>();

/**
 * A session opened by a passkey follows that passkey: once it is removed from the account, the
 * session ends (all sessions it opened end) at the next request after the short cache
 * (HCY_SIGNER_CHECK_MS). Sessions of an EOA carry no signer and are not asked about.
 */
async function checkSigner(deps: AppDeps, id: string, session: Session, now: number): Promise<void> {
  const signer = session.signer;
  if (signer === null || signer === undefined) return;
  const check = deps.isAccountSigner ?? (deps.provider ? accountSignerCheck(deps.provider) : undefined);
  if (check === undefined) return;
  let answers = signerAnswers.get(deps);
  if (answers === undefined) {
    answers = new Map();
    signerAnswers.set(deps, answers);
  }
  const key = `${session.address.toLowerCase()}:${signer}`;
  if ((answers.get(key) ?? 0) > now) return;
  let still: boolean;
  try {
    still = await check(session.address, signer);
  } catch {
    throw new ApiError(503, "chain_unavailable", "Cannot check your passkey with the chain node; try again shortly");
  }
  if (still) {
    if (answers.size > 10_000) answers.clear();
    answers.set(key, now + deps.config.signerCheckCacheMs);
    return;
  }
  answers.delete(key);
  await endSession(deps.db, id);
  await endSessionsOfSigner(deps.db, session.address, signer);
  throw new ApiError(401, "signer_removed", "The passkey this session was opened with was removed from the account");
}

/** Rejects the request unless it carries a live session; the owner is always the session's. */
export function requireSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = sessionIdOf(c, deps.config);
    const now = (deps.now ?? Date.now)();
    const session = id === undefined ? undefined : await findSession(deps.db, id, now);
    if (session === undefined || id === undefined) {
      throw new ApiError(401, "not_signed_in", "Sign in with your wallet first (or your session has expired)");
    }
    await checkSigner(deps, id, session, now);
    c.set("session", session);
    c.set("sessionId", id);
    await next();
  };
}
