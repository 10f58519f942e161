// What an alert says in plain words: the title and explanation keys in messages/account.ts and the
// values they need, read from the alert's kind and details. Pure (test/web/account-alerts.test.ts).

import type { Alert } from "@core/api";
import { formatFen } from "@core/money";

type Kind =
  | "large_payment"
  | "payment_burst"
  | "first_payment"
  | "payment_to_look_alike"
  | "address_poisoning"
  | RecoveryKind
  | "other";

/** 找回账户 alerts (server/src/chain/recoveryAlerts.ts): told to her and to each of her helpers. */
export const RECOVERY_KINDS = [
  "recovery_started",
  "recovery_approved",
  "recovery_executed",
  "recoveries_cancelled",
  "guardians_change_scheduled",
] as const;
type RecoveryKind = (typeof RECOVERY_KINDS)[number];
const isRecoveryKind = (kind: string): kind is RecoveryKind => (RECOVERY_KINDS as readonly string[]).includes(kind);

/** Look-alike alerts say what was imitated: a named contact (same ends, or one character off) or a payee. */
type LookalikeVariant = "" | "_one" | "_payee";

export type AlertWords = {
  title: `kind_${Kind}`;
  description:
    | `desc_${Kind}`
    | `desc_${"payment_to_look_alike" | "address_poisoning"}${LookalikeVariant}`
    | `desc_${RecoveryKind}_helper`;
  vars: Record<string, string | number>;
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function lookalikeVariant(d: Record<string, unknown>): LookalikeVariant {
  if (str(d.contactName) === undefined) return "_payee";
  return d.similarity === "oneChar" ? "_one" : "";
}

export function alertWords(
  alert: Pick<Alert, "kind" | "details">,
  when: (seconds: number) => string = String,
): AlertWords {
  const d = alert.details ?? {};
  if (isRecoveryKind(alert.kind)) {
    // Her own account, or one she helps with: the words differ (what to do is not the same).
    const at = num(d.readyAt) || num(d.effectiveAt);
    return {
      title: `kind_${alert.kind}`,
      description: d.yours === true ? `desc_${alert.kind}` : `desc_${alert.kind}_helper`,
      vars: { approvals: num(d.approvals) ?? "—", when: at ? when(at) : "—" },
    };
  }
  switch (alert.kind) {
    case "large_payment": {
      const threshold = str(d.thresholdFen);
      return {
        title: "kind_large_payment",
        description: "desc_large_payment",
        vars: { threshold: threshold && /^\d+$/.test(threshold) ? formatFen(BigInt(threshold)) : "—" },
      };
    }
    case "payment_burst":
      return {
        title: "kind_payment_burst",
        description: "desc_payment_burst",
        vars: { count: num(d.count) ?? "—", minutes: Math.round((num(d.windowSeconds) ?? 600) / 60) },
      };
    case "first_payment":
      return { title: "kind_first_payment", description: "desc_first_payment", vars: {} };
    case "payment_to_look_alike":
      return {
        title: "kind_payment_to_look_alike",
        description: `desc_payment_to_look_alike${lookalikeVariant(d)}`,
        vars: { name: str(d.contactName) ?? "—" },
      };
    case "address_poisoning":
      return {
        title: "kind_address_poisoning",
        description: `desc_address_poisoning${lookalikeVariant(d)}`,
        vars: { name: str(d.contactName) ?? "—" },
      };
    default:
      return { title: "kind_other", description: "desc_other", vars: {} };
  }
}
