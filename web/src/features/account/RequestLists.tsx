// My top-ups and cash-outs with their states in words; a cash-out still waiting for its burn can
// be continued from here (say, after cancelling the review).

import { type CashOut, depositReference } from "@core/api";
import { formatFen } from "@core/money";
import type { Address } from "viem";
import { BankProblemLine } from "../../components/BankProblemLine";
import { Money } from "../../components/Money";
import { accountMessages } from "../../i18n/messages/account";
import { bankProblemMessages } from "../../i18n/messages/bankProblems";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { useMyBankProblems, useMyCashOuts, useMyTopUps } from "./useAccountQueries";

export function RequestLists({
  owner,
  onContinueCashOut,
}: {
  owner: Address;
  onContinueCashOut: (request: CashOut, cardLast4: string | undefined) => void;
}) {
  const t = useT(accountMessages);
  const describe = useServiceErrorText();
  const topUps = useMyTopUps(owner, true);
  const cashOuts = useMyCashOuts(owner, true);
  const problems = useMyBankProblems(owner, true);
  const tp = useT(bankProblemMessages);
  const { dateTime: when } = useFormat();
  return (
    <>
      <section className="card" aria-labelledby="my-topups-title">
        <h2 id="my-topups-title">{t("myTopUps")}</h2>
        {topUps.isError && <p className="error">{t("requestsLoadFailed", { reason: describe(topUps.error) })}</p>}
        {topUps.data?.length === 0 && <p>{t("noRequests")}</p>}
        <ul className="request-list" data-testid="my-topups">
          {topUps.data?.map((r) => (
            <li key={r.id} data-state={r.state}>
              <Money fen={BigInt(r.amountFen)} /> · {t("card", { last4: r.cardLast4 })} ·{" "}
              <strong>{t(`topUp_${r.state}`)}</strong>
              {/* A card top-up has no reference to write: the bank debits the card with her code. */}
              {r.method !== "card" && (
                <>
                  <br />
                  <span>
                    {t("depositReference")} <strong className="deposit-ref">{depositReference(r.id)}</strong>
                  </span>
                </>
              )}
              {r.state === "awaiting_deposit" && r.method !== "card" && (
                <span className="notice deposit-howto">
                  {" "}
                  {t("depositHowTo", {
                    amount: formatFen(BigInt(r.amountFen)),
                    last4: r.cardLast4,
                    reference: depositReference(r.id),
                  })}
                </span>
              )}
              <br />
              <span className="hint">
                {t("requestedAt")} {when(r.createdAt)}
              </span>
              {r.problem && <span className="hint"> · {t("problem", { reason: r.problem })}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="my-cashouts-title">
        <h2 id="my-cashouts-title">{t("myCashOuts")}</h2>
        {cashOuts.isError && <p className="error">{t("requestsLoadFailed", { reason: describe(cashOuts.error) })}</p>}
        {cashOuts.data?.length === 0 && <p>{t("noRequests")}</p>}
        <ul className="request-list" data-testid="my-cashouts">
          {cashOuts.data?.map((r) => {
            const card = r.cardLast4 ?? undefined;
            return (
              <li key={r.id} data-state={r.state}>
                <Money fen={BigInt(r.amountFen)} />
                {card && <> · {t("card", { last4: card })}</>} · <strong>{t(`cashOut_${r.state}`)}</strong>
                <br />
                <span className="hint">
                  {t("requestedAt")} {when(r.createdAt)}
                </span>
                {r.problem && <span className="hint"> · {t("problem", { reason: r.problem })}</span>}
                {r.state === "awaiting_redeem" && (
                  <>
                    {" "}
                    <button type="button" className="secondary small" onClick={() => onContinueCashOut(r, card)}>
                      {t("continueCashOut")}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {(problems.data?.length ?? 0) > 0 && (
        <section className="card" aria-labelledby="my-problems-title">
          <h2 id="my-problems-title">{tp("problemsTitle")}</h2>
          <ul className="request-list" data-testid="my-bank-problems">
            {problems.data?.map((p) => (
              <li key={p.id} data-kind={p.kind}>
                <BankProblemLine problem={p} showAccount={false} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {problems.isError && <p className="error">{tp("problemsLoadFailed", { reason: describe(problems.error) })}</p>}
    </>
  );
}
