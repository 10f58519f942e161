// One reconciliation problem in words: what happened, how much, when it was found and with which
// bank reference; the desk also sees the account and the block. Shared by the issuer's desk and the
// resident's history (where times are times, never block numbers).
import type { BankProblem } from "@core/api";
import { formatFen } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { bankProblemMessages } from "../i18n/messages/bankProblems";
import { useFormat } from "../i18n/useFormat";
import { useT } from "../i18n/useT";
import { AddressText } from "./AddressText";

export function BankProblemLine({ problem, showAccount }: { problem: BankProblem; showAccount: boolean }) {
  const t = useT(bankProblemMessages);
  const found = useFormat().dateTime(problem.createdAt);
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
        {t("problemFound", { time: found })} · {showAccount && <>{t("problemAt", { block: problem.blockNumber })} · </>}
        {t("problemRef")} {displayOrderRef(problem.bankRef)}
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
