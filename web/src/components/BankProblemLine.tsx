// One reconciliation problem in words: what happened, how much, where on the chain and with which
// bank reference. Shared by the issuer's desk and the resident's history.
import type { BankProblem } from "@core/api";
import { formatFen } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { bankProblemMessages } from "../i18n/messages/bankProblems";
import { useT } from "../i18n/useT";
import { AddressText } from "./AddressText";

export function BankProblemLine({ problem, showAccount }: { problem: BankProblem; showAccount: boolean }) {
  const t = useT(bankProblemMessages);
  return (
    <>
      <strong>{t(`kind_${problem.kind}`, { amount: formatFen(BigInt(problem.amountFen)) })}</strong>
      <br />
      <span className="hint">
        {showAccount && (
          <>
            <AddressText address={problem.account} /> ·{" "}
          </>
        )}
        {t("problemAt", { block: problem.blockNumber })} · {t("problemRef")} {displayOrderRef(problem.bankRef)}
      </span>
      {problem.resolvedAt !== null && (
        <>
          <br />
          <span className="hint">{t("problemResolved", { resolution: problem.resolution ?? "" })}</span>
        </>
      )}
    </>
  );
}
