// The signed-in resident's real-name level, limits and what the service holds about her
// (GET /identity). Keyed by the account: another account's identity never shows on this one.
// The key starts with "cityService", so signing in or out refreshes it with the rest.
import type { IdentityView } from "@core/identity";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { type IdentityAnswer, myIdentity } from "../../service/cityService";

export const identityKey = (owner: Address | undefined) => ["cityService", "identity", owner] as const;

export function useIdentity(owner: Address | undefined, signedIn: boolean) {
  return useQuery({
    queryKey: identityKey(owner),
    queryFn: myIdentity,
    enabled: Boolean(owner && signedIn),
    retry: false,
  });
}

/** A verified identity (phone or bank), or undefined for an account nobody verified. */
export function verifiedView(answer: IdentityAnswer | undefined): IdentityView | undefined {
  return answer !== undefined && answer.level !== "none" && "createdAt" in answer ? answer : undefined;
}
