// Ask for a cash-out: checks the amount against the balance, then POST /cashouts gives the bank
// reference the burn must carry, and the page moves on to the review (CashOutConfirm).

import type { CashOut } from "@core/api";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { requestCashOut } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { RequestFields } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";

export function CashOutForm({
  owner,
  balanceFen,
  onRequested,
}: {
  owner: Address;
  balanceFen: bigint | undefined;
  onRequested: (request: CashOut, cardLast4: string) => void;
}) {
  const t = useT(accountMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [card, setCard] = useState("");
  const [errors, setErrors] = useState<RequestInputError[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    const input = readRequestInput(amount, card, balanceFen);
    if (!input.ok) return setErrors(input.errors);
    setErrors([]);
    setBusy(true);
    try {
      const request = await requestCashOut(input.fen, input.cardLast4);
      await queryClient.invalidateQueries({ queryKey: ["cityService", "cashOuts", owner] });
      onRequested(request, input.cardLast4);
    } catch (error) {
      setFailure(describe(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="cashout-title" id="cashout-form">
      <h2 id="cashout-title">{t("cashOutSection")}</h2>
      <p className="hint">{t("cashOutHint")}</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <RequestFields
          idPrefix="cashout"
          amount={amount}
          card={card}
          onAmount={setAmount}
          onCard={setCard}
          errors={errors}
        />
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t("cashOutSubmit")}
        </button>
      </form>
    </section>
  );
}
