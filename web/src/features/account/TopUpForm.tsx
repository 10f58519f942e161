// Ask for a top-up from a bank card: POST /topups. The request then shows in "My top-ups" as the
// bank confirms the deposit and the issuing desk issues.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { requestTopUp } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { RequestFields } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";
import { useBankAccount } from "./useAccountQueries";

export function TopUpForm({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [card, setCard] = useState("");
  const [errors, setErrors] = useState<RequestInputError[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const account = useBankAccount();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setOutcome(null);
    const input = readRequestInput(amount, card);
    if (!input.ok) return setErrors(input.errors);
    setErrors([]);
    setBusy(true);
    try {
      await requestTopUp(input.fen, input.cardLast4);
      setAmount("");
      setOutcome({ ok: true, text: t("topUpRequested") });
      await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
    } catch (error) {
      setOutcome({ ok: false, text: describe(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="topup-title" id="topup-form">
      <h2 id="topup-title">{t("topUpSection")}</h2>
      <p className="hint">{t("topUpHint")}</p>
      {account.data && (
        <dl className="bank-account" data-testid="bank-account">
          <dt>{t("bankHolder")}</dt>
          <dd>{account.data.holder}</dd>
          <dt>{t("bankName")}</dt>
          <dd>{account.data.bank}</dd>
          <dt>{t("bankNumber")}</dt>
          <dd>{account.data.number}</dd>
        </dl>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <RequestFields
          idPrefix="topup"
          amount={amount}
          card={card}
          onAmount={setAmount}
          onCard={setCard}
          errors={errors}
        />
        {outcome && (
          <p className={outcome.ok ? "success" : "error"} role={outcome.ok ? "status" : "alert"}>
            {outcome.text}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t("topUpSubmit")}
        </button>
      </form>
    </section>
  );
}
