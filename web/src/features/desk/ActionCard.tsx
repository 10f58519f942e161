// One desk action: says which role may do it and whether you hold it; when asked to act, refuses
// in plain words without sending if you lack the role, otherwise shows the summary and sends
// through the one transaction flow (where a wrong-role revert is translated too).
import { type ReactNode, useState } from "react";
import type { TransactionReceipt } from "viem";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import type { ContractWrite } from "../../tx/contractWrite";
import { type SummaryLine, TxConfirm } from "../../tx/TxConfirm";
import type { DeskRole } from "./useDeskRoles";

export type ActionPlan = {
  write: ContractWrite;
  summary: SummaryLine[];
  label: string;
  /** Called when the review is closed without the transaction having been confirmed. */
  onCancel?: () => void;
};

export function ActionCard({
  id,
  title,
  requiredRole,
  roles,
  onConfirmed,
  children,
}: {
  id: string;
  title: string;
  requiredRole: DeskRole;
  roles: Set<DeskRole>;
  onConfirmed?: (receipt: TransactionReceipt) => void;
  children: (request: (plan: ActionPlan) => void) => ReactNode;
}) {
  const t = useT(deskMessages);
  const [plan, setPlan] = useState<ActionPlan>();
  const [refused, setRefused] = useState(false);
  const allowed = roles.has(requiredRole);
  const roleName = t(`role_${requiredRole}`);
  const request = (next: ActionPlan) => {
    if (!allowed) {
      setRefused(true);
      return;
    }
    setRefused(false);
    setPlan(next);
  };
  return (
    <section className="card desk-action" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="who-may">
        {t("whoMay", { role: roleName })} — {allowed ? t("youHaveRole") : t("youLackRole")}
      </p>
      {plan && (
        <TxConfirm
          title={plan.label}
          summary={plan.summary}
          write={plan.write}
          onConfirmed={onConfirmed}
          onCancel={() => {
            plan.onCancel?.();
            setPlan(undefined);
          }}
          onDone={() => setPlan(undefined)}
        />
      )}
      {/* Kept mounted while the review is open, so lists keep their filters and page. */}
      <div hidden={plan !== undefined}>{children(request)}</div>
      {refused && (
        <p className="error refusal" role="alert">
          {t("refused", { role: roleName })}
        </p>
      )}
    </section>
  );
}
