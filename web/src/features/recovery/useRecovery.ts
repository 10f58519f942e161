// Reading 找回账户 from the chain (CityRecovery): an account's helpers in effect and a scheduled
// change; the recoveries of an account still pending (RecoveryStarted in its current round, read on
// every block, for the warning on her Home); the accounts a person helps (GuardiansChanged, whose
// family list is not indexed, so every one is read and the current guardians asked); and, for a new
// phone, the recovery some helper started for its passkey (RecoveryStarted carries the new key).
// A recovery her family starts adds the new phone and removes nothing (`lost` empty): she removes a
// lost phone herself under 我的设备 once she is back in. One the city desk starts may also remove
// the lost phones she chose (the RecoveryStarted event carries the list, read from there).

import { cityAccountAbi, cityRecoveryAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem, type Hex } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { contractAddresses, deployment } from "../../contracts";
import { followLogs } from "../../hooks/followLogs";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";

export const cityRecovery = { address: contractAddresses.CityRecovery, abi: cityRecoveryAbi } as const;
export const NO_LOST: readonly { qx: Hex; qy: Hex }[] = [];

const startedEvent = getAbiItem({ abi: cityRecoveryAbi, name: "RecoveryStarted" });
const changedEvent = getAbiItem({ abi: cityRecoveryAbi, name: "GuardiansChanged" });

export type Guardians = { family: readonly Address[]; threshold: number; cityDesk: boolean };

export type RecoverySettings = {
  guardians: Guardians;
  scheduled: (Guardians & { effectiveAt: number }) | null;
  familyDelay: number;
  deskDelay: number;
  maxGuardians: number;
};

type Client = NonNullable<ReturnType<typeof usePublicClient>>;

/** The recoveries ever started for `account` (read in full once, then only new blocks). */
const startedLogsOf = (client: Client, account: Address) =>
  followLogs(client, `RecoveryStarted:account:${account.toLowerCase()}`, (range) =>
    client.getLogs({ address: cityRecovery.address, event: startedEvent, args: { account }, ...range }),
  );

export function useRecoverySettings(account: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const query = useQuery({
    queryKey: ["recoverySettings", account],
    enabled: Boolean(account && client && deployment),
    queryFn: async (): Promise<RecoverySettings> => {
      if (!account || !client) throw new Error("no account");
      const [guardians, [scheduled, effectiveAt], familyDelay, deskDelay, max] = await Promise.all([
        client.readContract({ ...cityRecovery, functionName: "guardiansOf", args: [account] }),
        client.readContract({ ...cityRecovery, functionName: "scheduledGuardiansOf", args: [account] }),
        client.readContract({ ...cityRecovery, functionName: "familyDelay" }),
        client.readContract({ ...cityRecovery, functionName: "deskDelay" }),
        client.readContract({ ...cityRecovery, functionName: "MAX_GUARDIANS" }),
      ]);
      return {
        guardians,
        scheduled: effectiveAt === 0 ? null : { ...scheduled, effectiveAt: Number(effectiveAt) },
        familyDelay: Number(familyDelay),
        deskDelay: Number(deskDelay),
        maxGuardians: Number(max),
      };
    },
  });
  useRefetchOnBlock(query.refetch, Boolean(account));
  return query;
}

export type PendingRecovery = {
  id: Hex;
  account: Address;
  startedBy: Address;
  qx: Hex;
  qy: Hex;
  approvals: number;
  threshold: number;
  /** Unix seconds (chain time) from which it can be finished; 0 while too few agreed. */
  readyAt: number;
  /** The lost passkeys it removes (empty unless she chose to at the city desk). */
  lost: readonly { qx: Hex; qy: Hex }[];
  /** Started by the city recovery desk (a clerk, not one of her family), after the bank checked her. */
  byDesk: boolean;
};

/** What every recovery of one account is checked against: read once, not once per recovery. */
type AccountRecoveryState = { round: number; guardians: Guardians };

const accountRecoveryState = async (client: Client, account: Address): Promise<AccountRecoveryState> => {
  const [round, guardians] = await Promise.all([
    client.readContract({ ...cityRecovery, functionName: "recoveryRound", args: [account] }),
    client.readContract({ ...cityRecovery, functionName: "guardiansOf", args: [account] }),
  ]);
  return { round, guardians };
};

/** The recovery `id` of `account` if it is still pending (its round is the account's current one). */
async function pendingView(
  client: Client,
  account: Address,
  id: Hex,
  startedBy: Address,
  qx: Hex,
  qy: Hex,
  lost: readonly { qx: Hex; qy: Hex }[] = NO_LOST,
  state?: AccountRecoveryState,
) {
  const [recovery, { round, guardians }] = await Promise.all([
    client.readContract({ ...cityRecovery, functionName: "recoveryOf", args: [id] }),
    state ?? accountRecoveryState(client, account),
  ]);
  if (recovery.account === "0x0000000000000000000000000000000000000000" || recovery.round !== round) return null;
  return {
    id,
    account,
    startedBy,
    qx,
    qy,
    approvals: recovery.approvals,
    threshold: guardians.threshold,
    readyAt: Number(recovery.readyAt),
    lost,
    byDesk: guardians.cityDesk && !guardians.family.some((g) => g.toLowerCase() === startedBy.toLowerCase()),
  } satisfies PendingRecovery;
}

/** Every recovery of `account` still pending, oldest first. */
export function usePendingRecoveries(account: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const query = useQuery({
    queryKey: ["pendingRecoveries", account],
    enabled: Boolean(account && client && deployment),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<PendingRecovery[]> => {
      if (!account || !client) return [];
      const [logs, state] = await Promise.all([startedLogsOf(client, account), accountRecoveryState(client, account)]);
      // The account's round and guardians once; then one read per recovery of the current round only
      // (the event carries its round, and an earlier round's recovery can never be pending again).
      const current = logs.filter((log) => log.args.round === state.round);
      const views = await Promise.all(
        current.map((log) =>
          pendingView(
            client,
            account,
            log.args.id as Hex,
            log.args.guardian as Address,
            log.args.qx as Hex,
            log.args.qy as Hex,
            log.args.lost ?? NO_LOST,
            state,
          ),
        ),
      );
      return views.filter((v): v is PendingRecovery => v !== null);
    },
  });
  useRefetchOnBlock(query.refetch, Boolean(account));
  return query;
}

/** The accounts whose recovery `me` can help with now. */
export function useGuardedAccounts(me: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  return useQuery({
    queryKey: ["guardedAccounts", me],
    enabled: Boolean(me && client && deployment),
    queryFn: async (): Promise<Address[]> => {
      if (!me || !client) return [];
      const logs = await followLogs(client, "GuardiansChanged", (range) =>
        client.getLogs({ address: cityRecovery.address, event: changedEvent, ...range }),
      );
      const named = logs.filter((log) => log.args.family?.some((g) => g.toLowerCase() === me.toLowerCase()));
      const accounts = [...new Set(named.map((log) => log.args.account as Address))];
      const still = await Promise.all(
        accounts.map((account) =>
          client.readContract({ ...cityRecovery, functionName: "isGuardian", args: [account, me] }),
        ),
      );
      return accounts.filter((_, i) => still[i]);
    },
  });
}

export type RecoveryState =
  | { kind: "none" }
  | { kind: "pending"; recovery: PendingRecovery; family: readonly Address[]; iAgreed: boolean }
  | { kind: "done" }
  /** A recovery of this account to this very phone was started before and ended without it (she cancelled, or changed her helpers). */
  | { kind: "cancelled" };

/** Where the recovery of `account` to the new passkey (x, y) stands, as `me` sees it. */
export async function recoveryStateFor(
  client: Client,
  account: Address,
  x: Hex,
  y: Hex,
  me: Address | undefined,
): Promise<RecoveryState> {
  const [isKey, logs] = await Promise.all([
    client
      .readContract({ address: account, abi: cityAccountAbi, functionName: "isPasskey", args: [x, y] })
      .catch(() => false),
    startedLogsOf(client, account),
  ]);
  if (isKey) return { kind: "done" };
  const same = logs.filter(
    (log) => log.args.qx?.toLowerCase() === x.toLowerCase() && log.args.qy?.toLowerCase() === y.toLowerCase(),
  );
  // The latest recovery to this phone, with the lost passkeys it names: is it the current round's?
  const lost = same.at(-1)?.args.lost ?? NO_LOST;
  const id = await client.readContract({ ...cityRecovery, functionName: "recoveryId", args: [account, x, y, lost] });
  const current = same.find((log) => log.args.id === id);
  if (!current) return same.length > 0 ? { kind: "cancelled" } : { kind: "none" };
  // The account's round and guardians once: the view checks the round, the page shows the family.
  const [state, iAgreed] = await Promise.all([
    accountRecoveryState(client, account),
    me ? client.readContract({ ...cityRecovery, functionName: "hasApproved", args: [id, me] }) : Promise.resolve(false),
  ]);
  const view = await pendingView(client, account, id, current.args.guardian as Address, x, y, lost, state);
  if (!view) return { kind: "cancelled" };
  return { kind: "pending", recovery: view, family: state.guardians.family, iAgreed };
}

/** The recovery a helper started for this new phone's passkey, if any (the latest). */
export async function recoveryForPasskey(
  client: Client,
  x: Hex,
  y: Hex,
): Promise<{ account: Address; state: RecoveryState } | null> {
  const logs = await followLogs(client, "RecoveryStarted", (range) =>
    client.getLogs({ address: cityRecovery.address, event: startedEvent, ...range }),
  );
  const mine = logs.filter(
    (log) => log.args.qx?.toLowerCase() === x.toLowerCase() && log.args.qy?.toLowerCase() === y.toLowerCase(),
  );
  const last = mine.at(-1);
  if (!last?.args.account) return null;
  const account = last.args.account;
  return { account, state: await recoveryStateFor(client, account, x, y, undefined) };
}

/** A duration in hours or days, in words. */
export function delayWords(seconds: number, t: (key: "hours" | "days", vars: { n: string }) => string): string {
  const hours = Math.round(seconds / 3600);
  return hours > 48 && hours % 24 === 0 ? t("days", { n: String(hours / 24) }) : t("hours", { n: String(hours) });
}
