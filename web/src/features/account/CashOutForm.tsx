// Ask for a cash-out, only for a verified person (phone or bank card; anyone else is shown the way to
// 实名认证 instead, with what is left of today's limit shown to her first): checks the amount against the balance, then POST /cashouts gives the bank
// reference the burn must carry, and the page moves on to the review (CashOutConfirm).

import type { CashOut } from "@core/api";
import type { IdentityView } from "@core/identity";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { requestCashOut } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { identityKey, useIdentity, verifiedView } from "../identity/useIdentity";
import { MustVerify } from "./MustVerify";
import { RequestFields } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";
import { TodayLeft } from "./TodayLeft";

type Props = {
  owner: Address;
  balanceFen: bigint | undefined;
  onRequested: (request: CashOut, cardLast4: string) => void;
};

export function CashOutForm(props: Props) {
  const identity = useIdentity(props.owner, true);
  // Before any amount is typed: a cash-out is counted per person a day, so nobody's account may ask.
  if (identity.data === undefined) return identity.isError ? null : <p className="progress card">…</p>;
  const view = verifiedView(identity.data);
  if (view === undefined) return <MustVerify kind="cashout" />;
  return <VerifiedCashOutForm key={props.owner} {...props} view={view} />;
}

function VerifiedCashOutForm({ owner, balanceFen, onRequested, view }: Props & { view: IdentityView }) {
  const t = useT(accountMessages);
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [card, setCard] = useState("");
  const [errors, setErrors] = useState<RequestInputError[]>([]);
  // The request is only the first step: its review (the burn) follows, so success says nothing here.
  const request = useServiceAction(
    ({ fen, cardLast4 }: { fen: bigint; cardLast4: string }) => requestCashOut(fen, cardLast4),
    async (cashOut, { cardLast4 }) => {
      await queryClient.invalidateQueries({ queryKey: ["cityService", "cashOuts", owner] });
      await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
      onRequested(cashOut, cardLast4);
      return undefined;
    },
  );
  const { busy, outcome } = request;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = readRequestInput(amount, card, balanceFen);
    if (!input.ok) {
      request.clear();
      return setErrors(input.errors);
    }
    setErrors([]);
    request.run(input);
  };

  return (
    <section className="card" aria-labelledby="cashout-title" id="cashout-form">
      <h2 id="cashout-title">{t("cashOutSection")}</h2>
      <p className="hint">{t("cashOutHint")}</p>
      <TodayLeft view={view} kind="cashout" />
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <RequestFields
          idPrefix="cashout"
          amount={amount}
          card={card}
          onAmount={setAmount}
          onCard={setCard}
          errors={errors}
        />
        <OutcomeLine outcome={outcome} />
        <button type="submit" className="primary" disabled={busy}>
          {t("cashOutSubmit")}
        </button>
      </form>
    </section>
  );
}
