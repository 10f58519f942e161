// Ask for a top-up from a bank card: POST /topups. The request then shows in "My top-ups" as the
// bank confirms the deposit and the issuing desk issues.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { requestTopUp } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { RequestFields } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";
import { useBankAccount } from "./useAccountQueries";

export function TopUpForm({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [card, setCard] = useState("");
  const [errors, setErrors] = useState<RequestInputError[]>([]);
  const account = useBankAccount();
  const request = useServiceAction(
    ({ fen, cardLast4 }: { fen: bigint; cardLast4: string }) => requestTopUp(fen, cardLast4),
    async () => {
      setAmount("");
      await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
      return t("topUpRequested");
    },
  );
  const { busy, outcome } = request;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = readRequestInput(amount, card);
    if (!input.ok) {
      request.clear();
      return setErrors(input.errors);
    }
    setErrors([]);
    request.run(input);
  };

  return (
    <section className="card" aria-labelledby="topup-title" id="topup-form">
      <h2 id="topup-title">{t("topUpSection")}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <RequestFields
          idPrefix="topup"
          amount={amount}
          card={card}
          onAmount={setAmount}
          onCard={setCard}
          errors={errors}
        />
        <OutcomeLine outcome={outcome} />
        <button type="submit" className="primary" disabled={busy}>
          {t("topUpSubmit")}
        </button>
      </form>
      {/* The fields and the button first (on the first screen in 关怀模式), then how it works. */}
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
    </section>
  );
}
