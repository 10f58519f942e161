// Compares what the events say (a LedgerReplay) with what the contracts say about themselves
// (ContractFigures read at the same block), item by item, in a fixed order: balances, supply,
// issued − redeemed, the red-packet escrow, the voucher escrow, the delayed-transfer escrow. Each escrow must hold what it owes
// plus an excess (HCY sent to it directly, less what the admin rescued) that is never negative:
// a rescue can never have taken a fen owed. Pure.
import { escrowHolds, type LedgerReplay, reservesNow } from "./replay.js";

/** The contracts' own figures, all read at `block`. Maps are keyed by lower-case address / id. */
export interface ContractFigures {
  block: bigint;
  totalSupply: bigint;
  totalIssued: bigint;
  totalRedeemed: bigint;
  /** `latestReserves()`: the latest attestation less what was redeemed since. */
  latestReserves: bigint;
  balances: Map<string, bigint>;
  /** The escrows' addresses (lower case), whose replayed balances the excess checks read. */
  redPacketAddress: string;
  vouchersAddress: string;
  redPacketBalance: bigint;
  vouchersBalance: bigint;
  packetCount: bigint;
  packetRemaining: Map<bigint, bigint>;
  campaignCount: bigint;
  campaignRemaining: Map<bigint, bigint>;
  delayedAddress: string;
  delayedBalance: bigint;
  /** `transferCount()` and `totalPending()` of DelayedTransfers. */
  transferCount: bigint;
  totalPending: bigint;
  /** For each transfer the events say is pending: what the contract holds for it (0 unless Pending). */
  pendingTransfers: Map<bigint, bigint>;
}

export type CheckKind =
  | "balance"
  | "supplyEqualsBalances"
  | "supplyEqualsIssuedMinusRedeemed"
  | "issuedTotal"
  | "redeemedTotal"
  | "mintsEqualIssued"
  | "burnsEqualRedeemed"
  | "reservesNow"
  | "packetCount"
  | "packetRemaining"
  | "redPacketEscrow"
  | "redPacketExcess"
  | "campaignCount"
  | "campaignRemaining"
  | "voucherEscrow"
  | "voucherExcess"
  | "transferCount"
  | "transferPending"
  | "delayedPending"
  | "delayedEscrow"
  | "delayedExcess";

export interface AuditCheck {
  kind: CheckKind;
  /** The account, packet id or campaign id the item is about, when it is about one. */
  subject?: string;
  /** The figure rebuilt from events. */
  fromEvents: bigint;
  /** The contract's own figure. */
  fromContract: bigint;
  ok: boolean;
}

export interface AuditVerdict {
  ok: boolean;
  checks: AuditCheck[];
  firstMismatch?: AuditCheck;
}

function check(kind: CheckKind, fromEvents: bigint, fromContract: bigint, subject?: string): AuditCheck {
  return { kind, subject, fromEvents, fromContract, ok: fromEvents === fromContract };
}

/** The escrow's excess both ways; a negative excess (a rescue that took owed money) fails too. */
function excessCheck(kind: CheckKind, fromEvents: bigint, fromContract: bigint): AuditCheck {
  const c = check(kind, fromEvents, fromContract);
  return { ...c, ok: c.ok && fromEvents >= 0n };
}

function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

function perId(kind: CheckKind, replayed: Map<bigint, bigint>, onChain: Map<bigint, bigint>, count: bigint) {
  const checks: AuditCheck[] = [];
  for (let id = 1n; id <= count; id++) {
    checks.push(check(kind, replayed.get(id) ?? 0n, onChain.get(id) ?? 0n, id.toString()));
  }
  // An id the events mention but the contract does not know is a mismatch too.
  for (const [id, remaining] of replayed) {
    if (id < 1n || id > count) checks.push(check(kind, remaining, 0n, id.toString()));
  }
  return checks;
}

/**
 * `read`: the accounts whose balance the contract was asked for (lower case). Without it, every
 * account the events name was read. After a checkpoint only the accounts moved since are read; the
 * others count with their balance proven at the checkpoint.
 */
export function compareLedger(
  replay: LedgerReplay,
  figures: ContractFigures,
  read?: ReadonlySet<string>,
): AuditVerdict {
  const checks: AuditCheck[] = [];
  const accounts = [...replay.balances.keys()].sort();
  const wasRead = (account: string) => read === undefined || read.has(account);
  for (const account of accounts) {
    if (!wasRead(account)) continue;
    checks.push(check("balance", replay.balances.get(account) ?? 0n, figures.balances.get(account) ?? 0n, account));
  }

  // Supply: the events' balances add up to the contract's supply, and the contract's own read of
  // every account the events name adds up to it too (catches a balance changed without an event).
  checks.push(check("supplyEqualsBalances", sum(replay.balances.values()), figures.totalSupply));
  checks.push(
    check(
      "supplyEqualsBalances",
      sum(accounts.map((a) => (wasRead(a) ? (figures.balances.get(a) ?? 0n) : (replay.balances.get(a) ?? 0n)))),
      figures.totalSupply,
      "balanceOf",
    ),
  );
  checks.push(
    check(
      "supplyEqualsIssuedMinusRedeemed",
      replay.issued - replay.redeemed,
      figures.totalIssued - figures.totalRedeemed,
    ),
  );
  checks.push(
    check(
      "supplyEqualsIssuedMinusRedeemed",
      figures.totalIssued - figures.totalRedeemed,
      figures.totalSupply,
      "totalSupply",
    ),
  );

  // Issued − redeemed, each side on its own, and the mints and burns that must mirror them.
  checks.push(check("issuedTotal", replay.issued, figures.totalIssued));
  checks.push(check("redeemedTotal", replay.redeemed, figures.totalRedeemed));
  checks.push(check("mintsEqualIssued", replay.minted, replay.issued));
  checks.push(check("burnsEqualRedeemed", replay.burned, replay.redeemed));
  // The reserves still behind the supply: the latest attestation less the redemptions since.
  checks.push(check("reservesNow", reservesNow(replay), figures.latestReserves));

  checks.push(check("packetCount", BigInt(replay.redPacket.created), figures.packetCount));
  checks.push(...perId("packetRemaining", replay.redPacket.remaining, figures.packetRemaining, figures.packetCount));
  // Owed + excess = balance, where the events' excess is the escrow's replayed balance less what it
  // owes, and the contract's is its balance less Σ what its packets hold.
  const redPacketOwed = escrowHolds(replay.redPacket);
  const redPacketExcess = (replay.balances.get(figures.redPacketAddress) ?? 0n) - redPacketOwed;
  checks.push(check("redPacketEscrow", redPacketOwed + redPacketExcess, figures.redPacketBalance));
  checks.push(
    excessCheck("redPacketExcess", redPacketExcess, figures.redPacketBalance - sum(figures.packetRemaining.values())),
  );

  checks.push(check("campaignCount", BigInt(replay.vouchers.created), figures.campaignCount));
  checks.push(
    ...perId("campaignRemaining", replay.vouchers.remaining, figures.campaignRemaining, figures.campaignCount),
  );
  const vouchersOwed = escrowHolds(replay.vouchers);
  const vouchersExcess = (replay.balances.get(figures.vouchersAddress) ?? 0n) - vouchersOwed;
  checks.push(check("voucherEscrow", vouchersOwed + vouchersExcess, figures.vouchersBalance));
  checks.push(
    excessCheck("voucherExcess", vouchersExcess, figures.vouchersBalance - sum(figures.campaignRemaining.values())),
  );

  // Delayed transfers: as many as sent; each one the events say is pending holds its amount on chain;
  // together they are the contract's totalPending; the escrow's HCY is that plus its excess.
  checks.push(check("transferCount", BigInt(replay.delayed.created), figures.transferCount));
  for (const [id, amount] of [...replay.delayed.remaining].sort(([a], [b]) => (a < b ? -1 : 1))) {
    checks.push(check("transferPending", amount, figures.pendingTransfers.get(id) ?? 0n, id.toString()));
  }
  const delayedOwed = escrowHolds(replay.delayed);
  checks.push(check("delayedPending", delayedOwed, figures.totalPending));
  const delayedExcess = (replay.balances.get(figures.delayedAddress) ?? 0n) - delayedOwed;
  checks.push(check("delayedEscrow", delayedOwed + delayedExcess, figures.delayedBalance));
  checks.push(excessCheck("delayedExcess", delayedExcess, figures.delayedBalance - figures.totalPending));

  const firstMismatch = checks.find((c) => !c.ok);
  return { ok: firstMismatch === undefined, checks, firstMismatch };
}
