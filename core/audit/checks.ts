// Compares what the events say (a LedgerReplay) with what the contracts say about themselves
// (ContractFigures read at the same block), item by item, in a fixed order: balances, supply,
// issued − redeemed, the red-packet escrow, the voucher escrow. Pure.
import { escrowHolds, type LedgerReplay } from "./replay.js";

/** The contracts' own figures, all read at `block`. Maps are keyed by lower-case address / id. */
export interface ContractFigures {
  block: bigint;
  totalSupply: bigint;
  totalIssued: bigint;
  totalRedeemed: bigint;
  balances: Map<string, bigint>;
  redPacketBalance: bigint;
  vouchersBalance: bigint;
  packetCount: bigint;
  packetRemaining: Map<bigint, bigint>;
  campaignCount: bigint;
  campaignRemaining: Map<bigint, bigint>;
}

export type CheckKind =
  | "balance"
  | "supplyEqualsBalances"
  | "supplyEqualsIssuedMinusRedeemed"
  | "issuedTotal"
  | "redeemedTotal"
  | "mintsEqualIssued"
  | "burnsEqualRedeemed"
  | "packetCount"
  | "packetRemaining"
  | "redPacketEscrow"
  | "campaignCount"
  | "campaignRemaining"
  | "voucherEscrow";

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

export function compareLedger(replay: LedgerReplay, figures: ContractFigures): AuditVerdict {
  const checks: AuditCheck[] = [];
  const accounts = [...replay.balances.keys()].sort();
  for (const account of accounts) {
    checks.push(check("balance", replay.balances.get(account) ?? 0n, figures.balances.get(account) ?? 0n, account));
  }

  // Supply: the events' balances add up to the contract's supply, and the contract's own read of
  // every account the events name adds up to it too (catches a balance changed without an event).
  checks.push(check("supplyEqualsBalances", sum(replay.balances.values()), figures.totalSupply));
  checks.push(
    check(
      "supplyEqualsBalances",
      sum(accounts.map((a) => figures.balances.get(a) ?? 0n)),
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

  checks.push(check("packetCount", BigInt(replay.redPacket.created), figures.packetCount));
  checks.push(...perId("packetRemaining", replay.redPacket.remaining, figures.packetRemaining, figures.packetCount));
  checks.push(check("redPacketEscrow", escrowHolds(replay.redPacket), figures.redPacketBalance));

  checks.push(check("campaignCount", BigInt(replay.vouchers.created), figures.campaignCount));
  checks.push(
    ...perId("campaignRemaining", replay.vouchers.remaining, figures.campaignRemaining, figures.campaignCount),
  );
  checks.push(check("voucherEscrow", escrowHolds(replay.vouchers), figures.vouchersBalance));

  const firstMismatch = checks.find((c) => !c.ok);
  return { ok: firstMismatch === undefined, checks, firstMismatch };
}
