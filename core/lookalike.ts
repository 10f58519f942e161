// Address-poisoning defence: an attacker plants an address whose first and last characters match
// one the resident trusts. People check only the ends, so we compare them the same way.
import type { Address } from "viem";

/** How many hex characters at each end people compare by eye (after 0x). */
export const LOOKALIKE_EDGE = 4;

/** Same first and last 4 hex characters, yet a different address. */
export function looksLike(a: Address, b: Address, edge: number = LOOKALIKE_EDGE): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return false;
  return x.slice(2, 2 + edge) === y.slice(2, 2 + edge) && x.slice(-edge) === y.slice(-edge);
}

/** The known entries a candidate address imitates (empty when none). */
export function findLookalikes<T extends { address: Address }>(candidate: Address, known: readonly T[]): T[] {
  return known.filter((k) => looksLike(candidate, k.address));
}

/**
 * The ends a hurried eye checks, and what a poisoner imitates: the service indexes contacts by
 * them (columns head4 / tail4) to find a known address a new counterparty looks like.
 */
export function lookalikeKey(address: string): { head4: string; tail4: string } {
  const hex = address.toLowerCase().slice(2);
  return { head4: hex.slice(0, LOOKALIKE_EDGE), tail4: hex.slice(-LOOKALIKE_EDGE) };
}
