// 找回账户 alerts (CityRecovery): every step of a recovery of her account, and a change of the
// family members who can help, is told to her (on every device she signs in with) and to each of
// her helpers, as the issue asks ("every device and every guardian is told"). Who her helpers are
// is read from the chain at the event's block (a change scheduled there also tells the new ones).
// Recorded like the token alerts, once per (owner, kind, txHash, logIndex), so a batch read again
// after a restart doubles nothing, and dropped with its block on a chain reset.
import { randomUUID } from "node:crypto";
import type { Address, Hex, PublicClient } from "viem";
import type { AlertKind } from "../../../core/api.js";
import { cityRecoveryAbi } from "../../../generated/contracts.js";
import type { Queryable } from "../storage/Database.js";

const WATCHED = new Set([
  "RecoveryStarted",
  "RecoveryApproved",
  "RecoveryExecuted",
  "RecoveriesCancelled",
  "GuardiansChangeScheduled",
]);
export const recoveryEvents = cityRecoveryAbi.filter(
  (item): item is Extract<(typeof cityRecoveryAbi)[number], { type: "event" }> =>
    item.type === "event" && WATCHED.has(item.name),
);

/** One recovery event as the watcher read it, with the block's time. */
export type RecoveryEvent = {
  eventName: string;
  args: Record<string, unknown>;
  txHash: Hex;
  logIndex: number;
  blockNumber: bigint;
  blockTime: number;
};

const KIND: Record<string, AlertKind> = {
  RecoveryStarted: "recovery_started",
  RecoveryApproved: "recovery_approved",
  RecoveryExecuted: "recovery_executed",
  RecoveriesCancelled: "recoveries_cancelled",
  GuardiansChangeScheduled: "guardians_change_scheduled",
};

/** Who is told of `event`, and whether the city acted in it (not a family member or her own phone). */
export interface RecoveryAudience {
  recipients: string[];
  /**
   * "desk": the city recovery desk started or agreed to it (after the bank checked her identity);
   * "city": the city service sent the finishing transaction for her new phone (anyone may, once it
   * is ready). Undefined when a family member or her own account acted.
   */
  actedBy?: "desk" | "city";
}

/**
 * Who is told of `event`: the account and its helpers at that block (and, for a scheduled change,
 * the helpers it names); and whether the actor was the city (a key holding RECOVERY_DESK_ROLE that
 * is not one of her family helpers). Read before the batch's database transaction.
 */
export async function recoveryAudience(
  client: PublicClient,
  recovery: Address,
  event: RecoveryEvent,
): Promise<RecoveryAudience> {
  const account = event.args.account as Address;
  const guardians = await client.readContract({
    address: recovery,
    abi: cityRecoveryAbi,
    functionName: "guardiansOf",
    args: [account],
    blockNumber: event.blockNumber,
  });
  const named = event.eventName === "GuardiansChangeScheduled" ? ((event.args.family as Address[]) ?? []) : [];
  const recipients = [...new Set([account, ...guardians.family, ...named].map((a) => a.toLowerCase()))];
  return { recipients, actedBy: await cityActed(client, recovery, event, guardians.family) };
}

async function cityActed(
  client: PublicClient,
  recovery: Address,
  event: RecoveryEvent,
  family: readonly Address[],
): Promise<RecoveryAudience["actedBy"]> {
  if (event.eventName === "RecoveryApproved") return event.args.cityDesk === true ? "desk" : undefined;
  if (event.eventName !== "RecoveryStarted" && event.eventName !== "RecoveryExecuted") return undefined;
  const actor = (event.eventName === "RecoveryStarted" ? event.args.guardian : event.args.executor) as
    | Address
    | undefined;
  if (!actor || family.some((g) => g.toLowerCase() === actor.toLowerCase())) return undefined;
  if (actor.toLowerCase() === (event.args.account as string).toLowerCase()) return undefined;
  const deskRole = await client.readContract({
    address: recovery,
    abi: cityRecoveryAbi,
    functionName: "RECOVERY_DESK_ROLE",
    blockNumber: event.blockNumber,
  });
  const isDesk = await client.readContract({
    address: recovery,
    abi: cityRecoveryAbi,
    functionName: "hasRole",
    args: [deskRole, actor],
    blockNumber: event.blockNumber,
  });
  if (!isDesk) return undefined;
  return event.eventName === "RecoveryStarted" ? "desk" : "city";
}

/** Records the alert of `event` for each of `recipients`. */
export async function raiseRecoveryAlerts(
  tx: Queryable,
  event: RecoveryEvent,
  { recipients, actedBy }: RecoveryAudience,
  now: number,
): Promise<void> {
  const kind = KIND[event.eventName];
  if (kind === undefined) return;
  const account = (event.args.account as string).toLowerCase();
  // The one who acted: the helper who started or agreed, whoever finished it, or her own account.
  const actor = ((event.args.guardian ?? event.args.executor ?? event.args.account) as string).toLowerCase();
  const details: Record<string, unknown> = { account };
  if (actedBy) details.actedBy = actedBy;
  if (typeof event.args.approvals === "number") details.approvals = event.args.approvals;
  if (event.args.readyAt !== undefined) details.readyAt = Number(event.args.readyAt);
  if (event.args.effectiveAt !== undefined) details.effectiveAt = Number(event.args.effectiveAt);
  if (typeof event.args.threshold === "number") details.threshold = event.args.threshold;
  for (const owner of recipients) {
    await tx.run(
      `INSERT INTO alerts (id, owner, kind, tx_hash, log_index, block_number, block_time, counterparty, amount,
         details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, kind, tx_hash, log_index) DO NOTHING`,
      [
        randomUUID(),
        owner,
        kind,
        event.txHash,
        event.logIndex,
        Number(event.blockNumber),
        event.blockTime,
        actor,
        "0",
        JSON.stringify({ ...details, yours: owner === account }),
        now,
      ],
    );
  }
}
