// The resident's alerts and bank requests, read from the city service while signed in. Keys start
// with "cityService" so signing in or out refreshes them all at once.
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { getAlerts, getBankAccount, myBankProblems, myCashOuts, myTopUps } from "../../service/cityService";

const FINAL_TOPUP = new Set(["issued", "declined", "rejected", "expired", "mismatch"]);
const FINAL_CASHOUT = new Set(["paid", "expired", "mismatch"]);
/** Poll fast while a request is moving (the desk, the watcher and the bank act within seconds). */
const MOVING_MS = 2_000;
const RESTING_MS = 30_000;

export function useAlerts(owner: Address | undefined, signedIn: boolean) {
  return useQuery({
    queryKey: ["cityService", "alerts", owner],
    queryFn: () => getAlerts(),
    enabled: Boolean(owner && signedIn),
    retry: false,
    refetchInterval: 10_000,
  });
}

export function useUnreadAlertCount(owner: Address | undefined, signedIn: boolean): number | undefined {
  const alerts = useAlerts(owner, signedIn);
  return alerts.data?.filter((a) => a.readAt === null).length;
}

export function useMyTopUps(owner: Address | undefined, signedIn: boolean) {
  return useQuery({
    queryKey: ["cityService", "topUps", owner],
    queryFn: myTopUps,
    enabled: Boolean(owner && signedIn),
    retry: false,
    refetchInterval: (q) => (q.state.data?.some((r) => !FINAL_TOPUP.has(r.state)) ? MOVING_MS : RESTING_MS),
  });
}

export function useMyCashOuts(owner: Address | undefined, signedIn: boolean) {
  return useQuery({
    queryKey: ["cityService", "cashOuts", owner],
    queryFn: myCashOuts,
    enabled: Boolean(owner && signedIn),
    retry: false,
    refetchInterval: (q) => (q.state.data?.some((r) => !FINAL_CASHOUT.has(r.state)) ? MOVING_MS : RESTING_MS),
  });
}

/** What the bank ledger found on this account that did not fit a request. */
export function useMyBankProblems(owner: Address | undefined, signedIn: boolean) {
  return useQuery({
    queryKey: ["cityService", "bankProblems", owner],
    queryFn: async () => (await myBankProblems()).problems,
    enabled: Boolean(owner && signedIn),
    retry: false,
    refetchInterval: RESTING_MS,
  });
}

/** The city bank's receiving account for top-ups (public, rarely changes). */
export function useBankAccount() {
  return useQuery({ queryKey: ["cityService", "bankAccount"], queryFn: getBankAccount, staleTime: 60 * 60_000 });
}
