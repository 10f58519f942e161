// Several writes that belong together (allow exactly this much, then offer the card): a passkey
// account sends them as one operation behind one confirm; a built-in or browser wallet, which
// sends one transaction at a time, confirms them one after another, each with its own summary, and
// the next appears only once the one before is on the ledger.
import { useState } from "react";
import { useConnection } from "wagmi";
import type { ContractWrite } from "../../tx/contractWrite";
import { type SummaryLine, TxConfirm } from "../../tx/TxConfirm";
import type { RevertReasons } from "../../tx/txFailureText";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";

export type Step = { title: string; write: ContractWrite; confirmLabel: string; summary: SummaryLine[] };

export function StepwiseConfirm({
  title,
  steps: stepsNow,
  summary: summaryNow,
  confirmLabel,
  revertReasons,
  onCancel,
  onDone,
}: {
  title: string;
  steps: readonly Step[];
  /** The summary of all steps together (a passkey account's single confirm). */
  summary: SummaryLine[];
  confirmLabel: string;
  revertReasons?: RevertReasons;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { connector } = useConnection();
  const [index, setIndex] = useState(0);
  // What she agreed to is fixed when the confirm opens: the ledger moves under it (the first step
  // changes the allowance or the card, so the steps computed from it change too), and a confirm
  // that recomputed its steps would jump back to the start, or drop the step on screen, mid-flow.
  const [steps] = useState(stepsNow);
  const [summary] = useState(summaryNow);
  if (connector?.id === PASSKEY_WALLET_ID || steps.length === 1) {
    return (
      <TxConfirm
        title={title}
        summary={summary}
        write={steps.length === 1 ? (steps[0] as Step).write : steps.map((s) => s.write)}
        confirmLabel={confirmLabel}
        revertReasons={revertReasons}
        onCancel={onCancel}
        onDone={onDone}
      />
    );
  }
  const step = steps[index] as Step;
  const last = index === steps.length - 1;
  return (
    <TxConfirm
      // One confirm per step: a new step starts from nothing.
      key={index}
      title={step.title}
      summary={step.summary}
      write={step.write}
      confirmLabel={step.confirmLabel}
      revertReasons={revertReasons}
      onCancel={index === 0 ? onCancel : undefined}
      onConfirmed={last ? undefined : () => setIndex(index + 1)}
      onDone={last ? onDone : undefined}
    />
  );
}
