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

/**
 * How many of the 40 hex characters differ between two addresses, ignoring letter case (an
 * address is the same account in any case; only its checksum spelling changes).
 */
export function hexDistance(a: string, b: string): number {
  const x = a.toLowerCase().replace(/^0x/, "");
  const y = b.toLowerCase().replace(/^0x/, "");
  if (x.length !== y.length) return Math.max(x.length, y.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n;
}

/**
 * Why a candidate address is dangerous next to one the resident knows:
 * - "oneChar": it differs in exactly one character (a copying typo, or a forged near-copy): a
 *   random address is never that close, so paying is stopped;
 * - "edges": same first and last characters but a different address (address poisoning).
 * The same address in another letter case is the same account, not a look-alike.
 */
export type LookalikeKind = "oneChar" | "edges";

export interface LookalikeMatch<T> {
  known: T;
  kind: LookalikeKind;
  /** For "oneChar": the 1-based position (after 0x) of the differing character. */
  position?: number;
}

/** The most alarming known entry `candidate` imitates (one character off first), or undefined. */
export function findLookalike<T extends { address: string }>(
  candidate: string,
  known: readonly T[],
): LookalikeMatch<T> | undefined {
  const c = candidate.toLowerCase();
  // A candidate that IS a known address (any case) imitates nothing.
  if (known.some((k) => k.address.toLowerCase() === c)) return undefined;
  for (const k of known) {
    if (hexDistance(c, k.address) === 1) {
      const a = k.address.toLowerCase();
      let i = 2;
      while (i < a.length && a[i] === c[i]) i++;
      return { known: k, kind: "oneChar", position: i - 1 };
    }
  }
  const edges = known.find((k) => looksLike(c as Address, k.address as Address));
  return edges && { known: edges, kind: "edges" };
}
