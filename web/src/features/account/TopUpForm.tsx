// Ask for a top-up from a bank card: POST /topups, only for a verified person (phone or bank card):
// anyone else is shown the way to 实名认证 instead of the form, and she sees what is left of today's
// limit before she types an amount. The request then shows in "My top-ups" as the
// bank confirms the deposit and the issuing desk issues. The one just asked for also shows right
// here, under the button, with its 附言 code and what to do next (it used to be only in the list at
// the bottom of a long page): read live from the same list, so it says what is true now.
import { depositReference, type TopUp } from "@core/api";
import type { IdentityView } from "@core/identity";
import { formatFen } from "@core/money";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { Money } from "../../components/Money";
import { accountMessages } from "../../i18n/messages/account";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import { requestTopUp } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { identityKey, useIdentity, verifiedView } from "../identity/useIdentity";
import { MustVerify } from "./MustVerify";
import { RequestFields } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";
import { TodayLeft } from "./TodayLeft";
import { useBankAccount, useMyTopUps } from "./useAccountQueries";

export function TopUpForm({ owner, alternative = false }: { owner: Address; alternative?: boolean }) {
  const identity = useIdentity(owner, true);
  // Before any amount is typed: a top-up is counted per person a day, so nobody's account may ask.
  if (identity.data === undefined) return identity.isError ? null : <p className="progress card">…</p>;
  const view = verifiedView(identity.data);
  if (view === undefined) return <MustVerify kind="topup" />;
  return <VerifiedTopUpForm key={owner} owner={owner} view={view} alternative={alternative} />;
}

function VerifiedTopUpForm({ owner, view, alternative }: { owner: Address; view: IdentityView; alternative: boolean }) {
  const t = useT(accountMessages);
  const ti = useT(identityMessages);
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [card, setCard] = useState("");
  const [errors, setErrors] = useState<RequestInputError[]>([]);
  const account = useBankAccount();
  const [justAsked, setJustAsked] = useState<TopUp | null>(null);
  const request = useServiceAction(
    ({ fen, cardLast4 }: { fen: bigint; cardLast4: string }) => requestTopUp(fen, cardLast4),
    async (created) => {
      setJustAsked(created);
      setAmount("");
      await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
      await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
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
    setJustAsked(null);
    request.run(input);
  };

  return (
    <section className="card" aria-labelledby="topup-title" id="topup-form">
      {/* Beside the card top-up (the default once she is verified) this is the other way. */}
      <h2 id="topup-title">{alternative ? ti("otherWayTitle") : t("topUpSection")}</h2>
      <TodayLeft view={view} kind="topup" />
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
        {justAsked && <JustAsked key={justAsked.id} owner={owner} asked={justAsked} />}
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

/** The top-up just asked for, at the top of the page and scrolled to: its 附言 code and the next step. */
function JustAsked({ owner, asked }: { owner: Address; asked: TopUp }) {
  const t = useT(accountMessages);
  const topUps = useMyTopUps(owner, true);
  const now = topUps.data?.find((r) => r.id === asked.id) ?? asked;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, []);
  const reference = depositReference(now.id);
  return (
    <div ref={box} className="notice stack just-asked" role="status" data-testid="topup-just-asked">
      <p>
        <Money fen={BigInt(now.amountFen)} /> · <strong>{t(`topUp_${now.state}`)}</strong>
      </p>
      <p>
        {t("depositReference")} <strong className="deposit-ref">{reference}</strong>
      </p>
      {now.state === "awaiting_deposit" && (
        <p>{t("depositHowTo", { amount: formatFen(BigInt(now.amountFen)), last4: now.cardLast4, reference })}</p>
      )}
    </div>
  );
}
