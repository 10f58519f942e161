// The amount and card fields shared by the top-up and cash-out forms, each with its own message.

import { formatFen } from "@core/money";
import { AMOUNT_INPUT, DIGITS_INPUT, Field } from "../../components/Field";
import { accountMessages } from "../../i18n/messages/account";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import type { RequestInputError } from "./requestInput";

export function useRequestErrorText(): (error: RequestInputError) => string {
  const t = useT(accountMessages);
  const tm = useT(moneyMessages);
  return (e) => {
    if (e.error === "cardInvalid") return t("cardInvalid");
    if (e.error === "overRequestLimit") return t("overRequestLimit", { max: formatFen(e.maxFen) });
    if (e.error === "amountOverBalance") return tm("amountOverBalance", { balance: formatFen(e.balanceFen) });
    return tm(e.error);
  };
}

export function RequestFields({
  idPrefix,
  amount,
  card,
  onAmount,
  onCard,
  errors,
}: {
  idPrefix: string;
  amount: string;
  card: string;
  onAmount: (value: string) => void;
  onCard: (value: string) => void;
  errors: RequestInputError[];
}) {
  const t = useT(accountMessages);
  const text = useRequestErrorText();
  const amountError = errors.find((e) => e.field === "amount");
  const cardError = errors.find((e) => e.field === "card");
  return (
    <>
      <Field id={`${idPrefix}-amount`} label={t("amountLabel")} error={amountError && text(amountError)}>
        <input {...AMOUNT_INPUT} value={amount} onChange={(e) => onAmount(e.target.value)} />
      </Field>
      <Field id={`${idPrefix}-card`} label={t("cardLabel")} error={cardError && text(cardError)}>
        <input {...DIGITS_INPUT} maxLength={4} value={card} onChange={(e) => onCard(e.target.value)} />
      </Field>
    </>
  );
}
