// Words for audit items, shared by the ledger page and `npm run audit`: which message describes a
// check, which group it belongs to, and whether its figures are money (fen) or counts.
import { interpolate, type Lang } from "../i18n.js";
import { formatFen } from "../money.js";
import { auditMessages } from "./auditMessages.js";
import type { CheckpointRefused } from "./checkpoint.js";
import type { AuditCheck, CheckKind } from "./checks.js";
import type { AuditReport } from "./runAudit.js";

export type CheckGroup = "balances" | "supply" | "issuance" | "redPacket" | "vouchers" | "delayed";

export const CHECK_GROUPS: readonly CheckGroup[] = [
  "balances",
  "supply",
  "issuance",
  "redPacket",
  "vouchers",
  "delayed",
];

const GROUP_OF: Record<CheckKind, CheckGroup> = {
  balance: "balances",
  supplyEqualsBalances: "supply",
  supplyEqualsIssuedMinusRedeemed: "supply",
  issuedTotal: "issuance",
  redeemedTotal: "issuance",
  mintsEqualIssued: "issuance",
  burnsEqualRedeemed: "issuance",
  reservesNow: "issuance",
  packetCount: "redPacket",
  packetRemaining: "redPacket",
  redPacketEscrow: "redPacket",
  redPacketExcess: "redPacket",
  campaignCount: "vouchers",
  campaignRemaining: "vouchers",
  voucherEscrow: "vouchers",
  voucherExcess: "vouchers",
  transferCount: "delayed",
  transferPending: "delayed",
  delayedPending: "delayed",
  delayedEscrow: "delayed",
  delayedExcess: "delayed",
};

export function checkGroup(check: AuditCheck): CheckGroup {
  return GROUP_OF[check.kind];
}

/** Counts are numbers of packets, campaigns or delayed transfers; every other figure is money in fen. */
export function isCount(check: AuditCheck): boolean {
  return check.kind === "packetCount" || check.kind === "campaignCount" || check.kind === "transferCount";
}

type AuditKey = keyof (typeof auditMessages)["en"];

/** The message key for a check: some kinds have a variant per subject (e.g. "balanceOf"). */
export function checkMessageKey(check: AuditCheck): AuditKey {
  const variant = `check_${check.kind}_${check.subject ?? ""}`;
  if (variant in auditMessages.en) return variant as AuditKey;
  return `check_${check.kind}` as AuditKey;
}

export function formatFigure(check: AuditCheck, value: bigint): string {
  return isCount(check) ? value.toString() : formatFen(value);
}

export function describeCheck(check: AuditCheck, lang: Lang): string {
  return interpolate(auditMessages[lang][checkMessageKey(check)], { subject: check.subject ?? "" });
}

/** "MISMATCH: balance of 0x…. The events give ¥1.00; the contract says ¥2.00." */
export function describeMismatch(check: AuditCheck, lang: Lang): string {
  return interpolate(auditMessages[lang].auditFail, {
    what: describeCheck(check, lang),
    fromEvents: formatFigure(check, check.fromEvents),
    fromContract: formatFigure(check, check.fromContract),
  });
}

/** "Voucher escrow: owes ¥…, excess ¥…, excess rescued by the admin ¥…", one line per escrow. */
export function describeEscrows(report: AuditReport, lang: Lang): string[] {
  return (["redPacket", "vouchers", "delayed"] as const).map((name) => {
    const e = report.escrows[name];
    return interpolate(auditMessages[lang][`auditEscrow_${name}`], {
      owed: formatFen(e.owed),
      excess: formatFen(e.excess),
      rescued: formatFen(e.rescued),
    });
  });
}

/** Basis points as a percentage with two decimals ("101.25%"). */
function percent(bps: bigint): string {
  return `${bps / 100n}.${(bps % 100n).toString().padStart(2, "0")}%`;
}

/** Reserves ÷ supply as a percentage with two decimals (rounded down); "—" without a supply. */
export function coverageRatio(reserves: bigint, supply: bigint): string {
  return supply === 0n ? "—" : percent((reserves * 10_000n) / supply);
}

/** Reserve coverage in words; a second sentence when it is below 100 %. */
export function describeCoverage(report: AuditReport, lang: Lang): { text: string; short: boolean } {
  const { reserves, supply, coverageBps } = report.coverage;
  if (reserves === undefined) return { text: auditMessages[lang].auditCoverageNone, short: supply > 0n };
  const short = reserves < supply;
  const text = interpolate(auditMessages[lang].auditCoverage, {
    reserves: formatFen(reserves),
    supply: formatFen(supply),
    ratio: coverageBps === undefined ? "—" : percent(coverageBps),
  });
  return { text: short ? `${text} ${auditMessages[lang].auditCoverageShort}` : text, short };
}

/** Why a checkpoint was refused, in a sentence that also says nothing was audited from it. */
export function describeRefusal(refusal: CheckpointRefused, lang: Lang): string {
  const missing = refusal.reason === "chainDiffers" && refusal.details.onChain === "";
  const key = missing ? "refusal_chainDiffers_missing" : (`refusal_${refusal.reason}` as const);
  const reason = interpolate(auditMessages[lang][key], refusal.details);
  return interpolate(auditMessages[lang].checkpointRefused, { reason });
}
