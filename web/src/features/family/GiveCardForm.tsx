// The son's form: whom (one of his contacts), the monthly limit, an optional per-payment limit and
// the kinds of shop; then the review, which allows FamilyCards exactly what his open cards can
// still spend this month plus the new card's monthly limit (never an unlimited amount), and offers
// the card.
import { categoryName, MERCHANT_CATEGORIES, type MerchantCategory } from "@core/enums";
import { formatFen, parseYuan } from "@core/money";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { useContacts } from "../../contacts/contactsStore";
import { cityYuan, familyCards } from "../../contracts";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { moneyMessages } from "../../i18n/messages/money";
import { txMessages } from "../../i18n/messages/tx";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import type { RevertReasons } from "../../tx/txFailureText";
import { categoriesText, categoryBits } from "./cardLimits";
import { type Step, StepwiseConfirm } from "./StepwiseConfirm";

/** FamilyCards.Limits.perPaymentLimit is a uint32 of fen. */
const MAX_PER_PAYMENT = 4_294_967_295n;

type Offer = { holder: Address; name: string; monthly: bigint; perPayment: bigint; categories: number };

export function GiveCardForm({
  me,
  allowance,
  stillNeeded,
  revertReasons,
  onDone,
}: {
  me: Address;
  /** His allowance to FamilyCards now. */
  allowance: bigint;
  /** What his open cards can still spend this month (the allowance they need). */
  stillNeeded: bigint;
  revertReasons: RevertReasons;
  onDone: () => void;
}) {
  const t = useT(familyMessages);
  const tm = useT(moneyMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const contacts = useContacts(me);
  const [contactId, setContactId] = useState("");
  const [monthlyText, setMonthlyText] = useState("");
  const [perPaymentText, setPerPaymentText] = useState("");
  const [chosen, setChosen] = useState<MerchantCategory[]>([...MERCHANT_CATEGORIES]);
  const [submitted, setSubmitted] = useState(false);
  const [offer, setOffer] = useState<Offer | null>(null);

  const contact = contacts.find((c) => c.id === contactId);
  const monthly = parseYuan(monthlyText);
  const perPayment = perPaymentText.trim() === "" ? ({ ok: true, fen: 0n } as const) : parseYuan(perPaymentText);
  const contactError = contact ? null : t("pickContact");
  const monthlyError = monthly.ok ? null : tm(monthly.error);
  const perPaymentError = !perPayment.ok
    ? tm(perPayment.error)
    : perPayment.fen > MAX_PER_PAYMENT
      ? tm("amountTooLarge")
      : null;
  const categoryError = chosen.length === 0 ? t("pickCategory") : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!contact || !monthly.ok || !perPayment.ok || contactError || perPaymentError || categoryError) return;
    setOffer({
      holder: contact.address as Address,
      name: contact.name,
      monthly: monthly.fen,
      perPayment: perPayment.fen,
      categories: categoryBits(chosen),
    });
  };

  if (offer) {
    const target = stillNeeded + offer.monthly;
    const limits = {
      monthlyLimit: Number(offer.monthly),
      perPaymentLimit: Number(offer.perPayment),
      categories: offer.categories,
    };
    const cardLines = [
      { label: tx("to"), value: <AddressText address={offer.holder} /> },
      { label: t("reviewMonthly"), value: <Money fen={offer.monthly} /> },
      {
        label: t("reviewPerPayment"),
        value: offer.perPayment === 0n ? t("noPerPayment") : <Money fen={offer.perPayment} />,
      },
      { label: t("reviewCategories"), value: categoriesText(offer.categories, lang, t("allCategories")) },
    ];
    const allowanceLines = [
      { label: t("reviewAllowance"), value: <Money fen={target} /> },
      { label: tx("purpose"), value: t("allowanceHint") },
    ];
    const offerStep: Step = {
      title: t("stepOffer", { name: offer.name }),
      confirmLabel: t("confirmOffer"),
      summary: [...cardLines, { label: tx("purpose"), value: t("purposeOffer") }],
      write: contractWrite({ ...familyCards, functionName: "offer", args: [offer.holder, limits] }),
    };
    const steps: Step[] =
      allowance === target
        ? [offerStep]
        : [
            {
              title: t("stepApprove", { amount: formatFen(target) }),
              confirmLabel: t("confirmApprove"),
              summary: allowanceLines,
              write: contractWrite({ ...cityYuan, functionName: "approve", args: [familyCards.address, target] }),
            },
            offerStep,
          ];
    return (
      <StepwiseConfirm
        title={t("reviewOfferTitle", { name: offer.name })}
        summary={[...cardLines, ...(allowance === target ? [] : allowanceLines)]}
        confirmLabel={t("confirmOffer")}
        steps={steps}
        revertReasons={revertReasons}
        onCancel={() => setOffer(null)}
        onDone={onDone}
      />
    );
  }

  const allChosen = chosen.length === MERCHANT_CATEGORIES.length;
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="give-card-title">
      <h2 id="give-card-title">{t("giveTitle")}</h2>
      {contacts.length === 0 ? (
        <p className="notice">{t("noContacts")}</p>
      ) : (
        <Field id="card-holder" label={t("toWho")} error={submitted ? contactError : null}>
          <select value={contactId} onChange={(e) => setContactId(e.target.value)}>
            <option value="">{t("chooseContact")}</option>
            {contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id="card-monthly" label={t("monthlyLimit")} error={submitted ? monthlyError : null}>
        <input {...AMOUNT_INPUT} value={monthlyText} onChange={(e) => setMonthlyText(e.target.value)} />
      </Field>
      <Field id="card-per-payment" label={t("perPaymentLimit")} error={submitted ? perPaymentError : null}>
        <input {...AMOUNT_INPUT} value={perPaymentText} onChange={(e) => setPerPaymentText(e.target.value)} />
      </Field>
      <fieldset className="stack">
        <legend>{t("categories")}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={allChosen}
            onChange={(e) => setChosen(e.target.checked ? [...MERCHANT_CATEGORIES] : [])}
          />
          {t("allCategories")}
        </label>
        {/* Every shop by default; the kinds are listed only when she wants fewer. */}
        {!allChosen &&
          MERCHANT_CATEGORIES.map((c) => (
            <label key={c} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(c)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, c] : chosen.filter((other) => other !== c))}
              />
              {categoryName(c, lang)}
            </label>
          ))}
        {submitted && categoryError && (
          <p className="error" role="alert">
            {categoryError}
          </p>
        )}
      </fieldset>
      <p className="hint">{t("allowanceHint")}</p>
      <button type="submit" className="primary big" disabled={contacts.length === 0}>
        {t("next")}
      </button>
    </form>
  );
}
