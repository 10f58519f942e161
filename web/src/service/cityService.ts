// Talking to the city service: Sign-In with Ethereum (EIP-4361) and the session cookie. The
// message is built with viem's createSiweMessage; the service checks domain, nonce, chain id,
// URI, issuedAt and expiry itself.
import type { Address, Hex } from "viem";
import { createSiweMessage } from "viem/siwe";
import { serviceUrl } from "../env";

export class CityServiceError extends Error {
  constructor(
    message: string,
    readonly status: number,
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
    const { error, message } = (body ?? {}) as { error?: string; message?: string };
    throw new CityServiceError(message ?? error ?? `HTTP ${response.status}`, response.status);
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

/** Ten minutes to sign; the service refuses messages without an expiry. */
const SIWE_VALIDITY_MS = 10 * 60_000;

export function buildSignInMessage(params: { address: Address; chainId: number; nonce: string; now?: Date }): string {
  const now = params.now ?? new Date();
  return createSiweMessage({
    address: params.address,
    chainId: params.chainId,
    domain: window.location.host,
    uri: window.location.origin,
    nonce: params.nonce,
    version: "1",
    issuedAt: now,
    expirationTime: new Date(now.getTime() + SIWE_VALIDITY_MS),
    // EIP-4361 statements are ASCII only (the grammar has no room for other characters).
    statement: "Sign in to Hefei City Wallet services.",
  });
}

export async function signIn(
  address: Address,
  chainId: number,
  signMessage: (message: string) => Promise<Hex>,
): Promise<{ address: Address }> {
  const { nonce } = await call<{ nonce: string }>("/auth/nonce");
  const message = buildSignInMessage({ address, chainId, nonce });
  const signature = await signMessage(message);
  return call<{ address: Address }>("/auth/verify", { method: "POST", body: JSON.stringify({ message, signature }) });
}

export async function signOut(): Promise<void> {
  await call<unknown>("/auth/logout", { method: "POST" });
}
