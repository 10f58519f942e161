// One card a relative gave her: an offer she accepts or declines, or a card in use with what is
// left this month, which she can stop using; and what she paid with it.
import { formatFen } from "@core/money";
import { useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { familyCards } from "../../contracts";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import type { RevertReasons } from "../../tx/txFailureText";
import { categoriesText } from "./cardLimits";
import { usePersonName } from "./personName";
import { CARD_STATUS, type CardPayment, type FamilyCard } from "./useFamilyCards";

type Action = "accept" | "decline" | "end";

export function HeldCardItem({
  me,
  card,
  payments,
  revertReasons,
  onDone,
}: {
  me: Address;
  card: FamilyCard;
  payments: readonly CardPayment[];
  revertReasons: RevertReasons;
  onDone: () => void;
}) {
  const t = useT(familyMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const fmt = useFormat();
  const nameOf = usePersonName(me);
  const [action, setAction] = useState<Action | null>(null);
  const name = nameOf(card.funder);

  if (action) {
    const labels = {
      accept: [t("purposeAccept"), t("confirmAccept")],
      decline: [t("purposeDecline"), t("confirmDecline")],
      end: [t("purposeEnd"), t("confirmEnd")],
    } as const;
    const [purpose, confirm] = labels[action];
    return (
      <article className="card">
        <TxConfirm
          title={t("cardOf", { name })}
          summary={[
            { label: t("cardTag"), value: <AddressText address={card.funder} /> },
            { label: t("reviewMonthly"), value: <Money fen={BigInt(card.limits.monthlyLimit)} /> },
            { label: tx("purpose"), value: purpose },
          ]}
          write={contractWrite({ ...familyCards, functionName: action, args: [card.id] })}
          confirmLabel={confirm}
          revertReasons={revertReasons}
          onCancel={() => setAction(null)}
          onDone={() => {
            setAction(null);
            onDone();
          }}
        />
      </article>
    );
  }

  return (
    <article className="card stack family-card" data-card={card.id.toString()}>
      <h3>{card.status === CARD_STATUS.offered ? t("offeredToYou", { name }) : t("cardOf", { name })}</h3>
      <p>
        <span className="tag">{t(`heldStatus_${card.status}` as "heldStatus_1")}</span>{" "}
        {t("monthlyOf", { amount: formatFen(BigInt(card.limits.monthlyLimit)) })}
        {card.limits.perPaymentLimit > 0 &&
          ` · ${t("perPaymentOf", { amount: formatFen(BigInt(card.limits.perPaymentLimit)) })}`}
        {" · "}
        {categoriesText(card.limits.categories, lang, t("allCategories"))}
      </p>
      {card.status === CARD_STATUS.offered && (
        <>
          <p className="hint">{t("offeredHint", { name })}</p>
          <div className="button-row">
            <button type="button" className="primary big" onClick={() => setAction("accept")}>
              {t("accept")}
            </button>
            <button type="button" className="secondary" onClick={() => setAction("decline")}>
              {t("decline")}
            </button>
          </div>
        </>
      )}
      {card.status === CARD_STATUS.active && (
        <>
          <p>
            {t("leftThisMonth")}: <Money fen={card.leftThisMonth} className="big-amount" />
          </p>
          <div className="button-row">
            <button type="button" className="secondary" onClick={() => setAction("end")}>
              {t("end")}
            </button>
          </div>
        </>
      )}
      {payments.length > 0 && (
        <section aria-label={t("heldPaymentsTitle")}>
          <h4>{t("heldPaymentsTitle")}</h4>
          <ul className="family-payments">
            {payments.map((p) => (
              <li key={p.id}>
                <span>
                  <AddressText address={p.shop} />
                  <span className="hint">
                    {" · "}
                    {fmt.chainTime(p.timestamp)}
                  </span>
                </span>
                <Money fen={p.amount} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
