// Sign-In with Ethereum (EIP-4361) verification. The `siwe` library checks the signature (and
// EIP-1271 contract wallets through the provider), plus domain and nonce only when we pass them;
// it never checks chain id, URI or issue time, so those checks are ours and come first.
import type { JsonRpcProvider } from "ethers";
import { SiweMessage } from "siwe";
import {
  type Address,
  concat,
  createPublicClient,
  getAddress,
  type Hex,
  http,
  isErc6492Signature,
  parseErc6492Signature,
} from "viem";
import { verifyMessage } from "viem/actions";
import { passkeyOfSignature } from "../../../core/accountSignature.js";
import type { SiweErrorCode } from "../../../core/api.js";
import type { ServerConfig } from "../config.js";
import { ApiError } from "../errors.js";
import type { Queryable } from "../storage/Database.js";
import { consumeNonce } from "./sessions.js";

export type SiwePolicy = Pick<
  ServerConfig,
  | "chainId"
  | "siweDomains"
  | "allowedOrigins"
  | "maxMessageAgeMs"
  | "maxMessageLifetimeMs"
  | "clockSkewMs"
  | "erc1271TimeoutMs"
>;

export interface VerifiedSignIn {
  address: Address;
  chainId: number;
  /** The message's expirationTime, in ms. */
  expiresAt: number;
  /** The origin the message was signed for (decides the Secure cookie flag). */
  origin: string;
  /** For a passkey account, the passkey (x ‖ y) whose signature signed in; else null. */
  signer: Hex | null;
}

/**
 * The passkey a city account's signature names (core/accountSignature.ts: the passkey's x and y come
 * first), as `x ‖ y` (64 bytes). An ERC-6492 wrapper is opened first. A 65-byte ECDSA signature (an
 * EOA) or any other wallet's format names no passkey: null.
 */
export function signerOf(signature: Hex): Hex | null {
  try {
    const inner = isErc6492Signature(signature) ? parseErc6492Signature(signature).signature : signature;
    if ((inner.length - 2) / 2 <= 65) return null;
    const passkey = passkeyOfSignature(inner);
    return passkey ? (concat([passkey.x, passkey.y]).toLowerCase() as Hex) : null;
  } catch {
    return null;
  }
}

const refuse = (code: SiweErrorCode, message: string) => new ApiError(401, code, message);

function parse(message: string): SiweMessage {
  try {
    return new SiweMessage(message);
  } catch (error) {
    throw new ApiError(400, "siwe_malformed", `Not an EIP-4361 message: ${String((error as Error).message ?? error)}`);
  }
}

function time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

/** The checks the library leaves to us; they run before the nonce is spent. */
export function checkClaims(m: SiweMessage, policy: SiwePolicy, now: number): { origin: string; expiresAt: number } {
  if (!policy.siweDomains.includes(m.domain)) {
    throw refuse("siwe_wrong_domain", `The message is for ${m.domain}, not this service's dApp`);
  }
  if (m.chainId !== policy.chainId) {
    throw refuse(
      "siwe_wrong_chain",
      `The message is for chain ${m.chainId}; this service is on chain ${policy.chainId}`,
    );
  }
  let origin: string;
  try {
    origin = new URL(m.uri).origin;
  } catch {
    throw refuse("siwe_wrong_uri", "The message's URI is not a URL");
  }
  if (!policy.allowedOrigins.includes(origin)) {
    throw refuse("siwe_wrong_uri", `The message's URI origin ${origin} is not an allowed origin`);
  }
  const issuedAt = time(m.issuedAt);
  if (issuedAt === undefined || Number.isNaN(issuedAt)) throw refuse("siwe_bad_issued_at", "issuedAt is missing");
  if (issuedAt > now + policy.clockSkewMs) throw refuse("siwe_bad_issued_at", "issuedAt is in the future");
  if (now - issuedAt > policy.maxMessageAgeMs) {
    throw refuse("siwe_stale", `The message was issued more than ${policy.maxMessageAgeMs / 1000} s ago`);
  }
  const expiresAt = time(m.expirationTime);
  if (expiresAt === undefined || Number.isNaN(expiresAt)) {
    throw refuse("siwe_no_expiry", "The message must carry an expirationTime");
  }
  if (expiresAt <= now) throw refuse("siwe_expired", "The message has expired");
  if (expiresAt > now + policy.maxMessageLifetimeMs) {
    throw refuse("siwe_expiry_too_far", `expirationTime may be at most ${policy.maxMessageLifetimeMs / 1000} s ahead`);
  }
  const notBefore = time(m.notBefore);
  if (notBefore !== undefined && (Number.isNaN(notBefore) || notBefore > now)) {
    throw refuse("siwe_not_yet_valid", "The message is not valid yet (notBefore is in the future)");
  }
  return { origin, expiresAt };
}

export async function verifySignIn(
  input: { message: string; signature: string },
  policy: SiwePolicy,
  db: Queryable,
  nonceKey: Buffer,
  provider: JsonRpcProvider | undefined,
  now: number,
  /** The device (browser) asking: the nonce must have been issued to it. */
  device: string,
): Promise<VerifiedSignIn> {
  const m = parse(input.message);
  const { origin, expiresAt } = checkClaims(m, policy, now);

  // Spend the nonce before checking the signature: a failed attempt burns it too, so every
  // attempt needs a fresh nonce from us and a replay can never succeed.
  const nonce = await consumeNonce(db, nonceKey, m.nonce, now, device);
  if (nonce === "unknown") {
    throw refuse("siwe_unknown_nonce", "The nonce was not issued by this service to this browser");
  }
  if (nonce === "expired") throw refuse("siwe_expired_nonce", "The nonce has expired; ask for a new one");
  if (nonce === "used") throw refuse("siwe_replayed_nonce", "The nonce has already been used");

  // checkClaims has established that the message's domain is one of ours.
  const ownDomain = policy.siweDomains.find((d) => d === m.domain);
  // An EOA signature is checked locally; only a contract wallet (EIP-1271) asks the node, and a
  // hung node must not hold the request (and its connection) for minutes.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), policy.erc1271TimeoutMs);
  });
  // An account that does not exist on the chain yet (a new passkey account) signs with ERC-6492: its
  // factory call wraps the ERC-1271 signature. The siwe library does not know it; viem checks it by
  // simulating the deployment in an eth_call. Domain, nonce and times were checked above.
  const check =
    provider && isErc6492Signature(input.signature as Hex)
      ? verifyUndeployed(provider, getAddress(m.address), input.message, input.signature as Hex)
      : m.verify(
          { signature: input.signature, domain: ownDomain, nonce: m.nonce, time: new Date(now).toISOString() },
          { suppressExceptions: true, ...(provider ? { provider } : {}) },
        );
  const result = await Promise.race([check, timedOut]).finally(() => clearTimeout(timer));
  if (result === "timeout") {
    throw new ApiError(
      503,
      "chain_unavailable",
      "Cannot check the contract wallet's signature: the chain node did not answer in time",
    );
  }
  if (!result.success) {
    throw refuse("siwe_bad_signature", `The signature does not match the message (${result.error?.type ?? "invalid"})`);
  }
  return {
    address: getAddress(m.address),
    chainId: m.chainId,
    expiresAt,
    origin,
    signer: signerOf(input.signature as Hex),
  };
}

/** ERC-6492 (with ERC-1271 inside) through viem on the same node as the provider. */
async function verifyUndeployed(
  provider: JsonRpcProvider,
  address: Address,
  message: string,
  signature: Hex,
): Promise<{ success: boolean; error?: { type: string } }> {
  const client = createPublicClient({ transport: http(provider._getConnection().url, { retryCount: 0 }) });
  try {
    const success = await verifyMessage(client, { address, message, signature });
    return success ? { success } : { success, error: { type: "erc6492_invalid" } };
  } catch {
    return { success: false, error: { type: "erc6492_unverifiable" } };
  }
}
