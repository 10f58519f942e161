// One card the son gave: to whom, whether she accepted, what is left this month, and every payment
// made with it as it happens; he lowers (or raises) the monthly limit or stops the card, and the
// allowance to FamilyCards follows (exactly what his open cards can still spend this month).
import { formatFen, parseYuan } from "@core/money";
import { orderRefText } from "@core/orderRef";
import { type FormEvent, useState } from "react";
import { AddressText } from "../../components/AddressText";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { cityYuan, familyCards } from "../../contracts";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { moneyMessages } from "../../i18n/messages/money";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import type { SummaryLine } from "../../tx/TxConfirm";
import type { RevertReasons } from "../../tx/txFailureText";
import { categoriesText } from "./cardLimits";
import { type Step, StepwiseConfirm } from "./StepwiseConfirm";
import { CARD_STATUS, type CardPayment, type FamilyCard, isOpen } from "./useFamilyCards";

type Action = { kind: "change"; monthly: bigint } | { kind: "stop" };

export function GivenCardItem({
  card,
  payments,
  allowance,
  neededWithout,
  revertReasons,
  onDone,
}: {
  card: FamilyCard;
  payments: readonly CardPayment[];
  allowance: bigint;
  /** What his other open cards can still spend this month. */
  neededWithout: bigint;
  revertReasons: RevertReasons;
  onDone: () => void;
}) {
  const t = useT(familyMessages);
  const tm = useT(moneyMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const fmt = useFormat();
  const [editing, setEditing] = useState(false);
  const [monthlyText, setMonthlyText] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const open = isOpen(card);
  const parsed = parseYuan(monthlyText);

  if (action) {
    const approveTo = (target: bigint): Step => ({
      title: t("stepApprove", { amount: formatFen(target) }),
      confirmLabel: t("confirmApprove"),
      summary: [{ label: t("reviewAllowance"), value: <Money fen={target} /> }],
      write: contractWrite({ ...cityYuan, functionName: "approve", args: [familyCards.address, target] }),
    });
    const who = { label: tx("to"), value: <AddressText address={card.holder} /> };
    let steps: Step[];
    let summary: SummaryLine[];
    if (action.kind === "change") {
      const limits = { ...card.limits, monthlyLimit: Number(action.monthly) };
      // An accepted card can still spend the new limit less what it spent this month.
      const left =
        card.status === CARD_STATUS.active
          ? action.monthly > card.spentThisMonth
            ? action.monthly - card.spentThisMonth
            : 0n
          : action.monthly;
      const target = neededWithout + left;
      summary = [
        who,
        { label: t("reviewMonthly"), value: <Money fen={action.monthly} /> },
        { label: t("reviewAllowance"), value: <Money fen={target} /> },
        { label: tx("purpose"), value: t("purposeChange") },
      ];
      steps = [
        {
          title: t("changeLimit"),
          confirmLabel: t("confirmChange"),
          summary,
          write: contractWrite({ ...familyCards, functionName: "changeLimits", args: [card.id, limits] }),
        },
        ...(allowance === target ? [] : [approveTo(target)]),
      ];
    } else {
      // Stopped, this card needs nothing more: the allowance goes down to what the others need.
      const target = neededWithout;
      summary = [who, { label: tx("purpose"), value: t("purposeStop") }];
      steps = [
        {
          title: t("stop"),
          confirmLabel: t("confirmStop"),
          summary,
          write: contractWrite({ ...familyCards, functionName: "stop", args: [card.id] }),
        },
        ...(allowance > target ? [approveTo(target)] : []),
      ];
    }
    return (
      <article className="card">
        <StepwiseConfirm
          title={action.kind === "change" ? t("purposeChange") : t("purposeStop")}
          summary={summary}
          confirmLabel={action.kind === "change" ? t("confirmChange") : t("confirmStop")}
          steps={steps}
          revertReasons={revertReasons}
          onCancel={() => setAction(null)}
          onDone={() => {
            setAction(null);
            setEditing(false);
            onDone();
          }}
        />
      </article>
    );
  }

  const submitChange = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (parsed.ok) setAction({ kind: "change", monthly: parsed.fen });
  };

  return (
    <article className="card stack family-card" data-card={card.id.toString()}>
      <h3>
        <AddressText address={card.holder} />
      </h3>
      <p>
        <span className="tag">{t(`status_${card.status}` as "status_1")}</span>{" "}
        {t("monthlyOf", { amount: formatFen(BigInt(card.limits.monthlyLimit)) })}
        {card.limits.perPaymentLimit > 0 &&
          ` · ${t("perPaymentOf", { amount: formatFen(BigInt(card.limits.perPaymentLimit)) })}`}
        {" · "}
        {categoriesText(card.limits.categories, lang, t("allCategories"))}
      </p>
      {open && (
        <dl className="tx-summary">
          <div className="tx-summary-row">
            <dt>{t("spentThisMonth")}</dt>
            <dd>
              <Money fen={card.spentThisMonth} />
            </dd>
          </div>
          <div className="tx-summary-row">
            <dt>{t("leftThisMonth")}</dt>
            <dd data-testid="card-left">
              <Money fen={card.leftThisMonth} />
            </dd>
          </div>
        </dl>
      )}
      {open && editing && (
        <form className="stack" onSubmit={submitChange} noValidate>
          <Field
            id={`card-${card.id}-monthly`}
            label={t("newMonthlyLimit")}
            error={submitted && !parsed.ok ? tm(parsed.error) : null}
          >
            <input {...AMOUNT_INPUT} value={monthlyText} onChange={(e) => setMonthlyText(e.target.value)} />
          </Field>
          <button type="submit" className="primary">
            {t("next")}
          </button>
        </form>
      )}
      {open && (
        <div className="button-row">
          {!editing && (
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t("changeLimit")}
            </button>
          )}
          <button type="button" className="secondary danger" onClick={() => setAction({ kind: "stop" })}>
            {t("stop")}
          </button>
        </div>
      )}
      <section aria-label={t("paymentsTitle")}>
        <h4>{t("paymentsTitle")}</h4>
        {payments.length === 0 ? (
          <p className="hint">{t("paymentsNone")}</p>
        ) : (
          <ul className="family-payments">
            {payments.map((p) => (
              <li key={p.id} data-testid="card-payment">
                <span>
                  <AddressText address={p.shop} />
                  <span className="hint">
                    {" · "}
                    {fmt.chainTime(p.timestamp)}
                    {orderRefText(p.orderRef) ? ` · ${orderRefText(p.orderRef)}` : ""}
                  </span>
                </span>
                <Money fen={-p.amount} signed />
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
