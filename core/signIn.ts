// The Sign-In with Ethereum (EIP-4361) message the city service accepts: the dApp builds it for
// the page it runs on, the demo seed for the dApp it serves. The service checks domain, nonce,
// chain id, URI, issuedAt and expiry itself (server/src/auth/siwe.ts).
import type { Address } from "viem";
import { createSiweMessage } from "viem/siwe";

/** Ten minutes to sign; the service refuses messages without an expiry. */
export const SIGN_IN_VALIDITY_MS = 10 * 60_000;

export function buildSignInMessage(params: {
  address: Address;
  chainId: number;
  nonce: string;
  /** The dApp's host[:port] and origin (scheme://host[:port]), as the service expects them. */
  domain: string;
  uri: string;
  now?: Date;
}): string {
  const now = params.now ?? new Date();
  return createSiweMessage({
    address: params.address,
    chainId: params.chainId,
    domain: params.domain,
    uri: params.uri,
    nonce: params.nonce,
    version: "1",
    issuedAt: now,
    expirationTime: new Date(now.getTime() + SIGN_IN_VALIDITY_MS),
    // EIP-4361 statements are ASCII only (the grammar has no room for other characters).
    statement: "Sign in to Hefei City Wallet services.",
  });
}
