// Top-up from her bound card (快捷支付), the default once she is bank-verified: the amount → the
// bank sends a one-time code to her phone (POST /topups/card; the simulated bank shows it, marked
// as the simulation) → she types it (POST /topups/:id/code) → the card is debited and the desk
// issues. No reference to type. A wrong code can be typed again; an expired code, three wrong codes
// or a declined debit end this top-up, said in words, and nothing was taken.
//
// The code step is kept in sessionStorage under her account, so a reload in the middle brings her
// back to it (the request is still waiting for its code at the bank) instead of a fresh form.
import "../identity/identity.css";
import type { CardTopUpStarted, TopUp } from "@core/api";
import type { IdentityView } from "@core/identity";
import { formatFen } from "@core/money";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { AMOUNT_INPUT, DIGITS_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { accountMessages, serviceErrorMessages } from "../../i18n/messages/account";
import { identityMessages } from "../../i18n/messages/identity";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { CityServiceError, confirmCardTopUp, myTopUps, requestCardTopUp } from "../../service/cityService";
import { type Outcome, OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { identityKey } from "../identity/useIdentity";
import { useRequestErrorText } from "./RequestFields";
import { type RequestInputError, readRequestInput } from "./requestInput";
import { useMyTopUps } from "./useAccountQueries";

const pendingKey = (owner: Address) => `hcy.cardTopUp.${owner.toLowerCase()}`;

function loadPending(owner: Address): CardTopUpStarted | null {
  try {
    const raw = sessionStorage.getItem(pendingKey(owner));
    const started = raw === null ? null : (JSON.parse(raw) as CardTopUpStarted);
    return started && started.code.expiresAt > Date.now() ? started : null;
  } catch {
    return null;
  }
}

function savePending(owner: Address, started: CardTopUpStarted | null): void {
  if (started === null) sessionStorage.removeItem(pendingKey(owner));
  else sessionStorage.setItem(pendingKey(owner), JSON.stringify(started));
}

export function TopUpByCard({ owner, view }: { owner: Address; view: IdentityView }) {
  const t = useT(identityMessages);
  const [pending, setPending] = useState<CardTopUpStarted | null>(() => loadPending(owner));
  const [done, setDone] = useState<TopUp | null>(null);
  const [ended, setEnded] = useState<Outcome>(null);
  const start = (started: CardTopUpStarted | null) => {
    savePending(owner, started);
    setPending(started);
  };
  return (
    <section className="card" aria-labelledby="card-topup-title" id="card-topup" data-testid="card-topup">
      <h2 id="card-topup-title">{t("cardTopUpTitle")}</h2>
      {pending ? (
        <CodeStep
          key={pending.topUp.id}
          owner={owner}
          started={pending}
          onDone={(topUp) => {
            start(null);
            setDone(topUp);
          }}
          onEnded={(text) => {
            start(null);
            setEnded({ ok: false, text });
          }}
        />
      ) : (
        <AmountStep
          owner={owner}
          view={view}
          ended={ended}
          done={done}
          onStarted={(started) => {
            setEnded(null);
            setDone(null);
            start(started);
          }}
        />
      )}
    </section>
  );
}

function AmountStep({
  owner,
  view,
  ended,
  done,
  onStarted,
}: {
  owner: Address;
  view: IdentityView;
  ended: Outcome;
  done: TopUp | null;
  onStarted: (started: CardTopUpStarted) => void;
}) {
  const t = useT(identityMessages);
  const ta = useT(accountMessages);
  const te = useT(serviceErrorMessages);
  const requestText = useRequestErrorText();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  // The latest bound card first, as the service picks it.
  const cards = [...view.cards].sort((a, b) => b.boundAt - a.boundAt);
  const [cardLast4, setCardLast4] = useState(cards[0]?.last4 ?? "");
  const card = cards.find((c) => c.last4 === cardLast4) ?? cards[0];
  const [error, setError] = useState<string | null>(null);
  const leftFen = BigInt(view.limits.topUpFenPerDay) - BigInt(view.usedToday.topUpFen);
  const left = leftFen > 0n ? leftFen : 0n;
  const request = useServiceAction(
    ({ fen, last4 }: { fen: bigint; last4: string }) => requestCardTopUp(fen, last4),
    async (started) => {
      setAmount("");
      onStarted(started);
      await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
      await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
      return undefined;
    },
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (card === undefined) return;
    const input = readRequestInput(amount, card.last4);
    if (!input.ok) {
      request.clear();
      const first = input.errors[0] as RequestInputError;
      return setError(requestText(first));
    }
    // Over today's limit is said before the bank is asked (the service refuses it too).
    if (input.fen > left) {
      request.clear();
      return setError(te("dailyLimit", { left: formatFen(left) }));
    }
    setError(null);
    request.run({ fen: input.fen, last4: card.last4 });
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
      {done && <Done key={done.id} owner={owner} topUp={done} />}
      <OutcomeLine outcome={ended} />
      <Field
        id="card-topup-amount"
        label={ta("amountLabel")}
        error={error}
        hint={t("cardTopUpLeft", { left: formatFen(left) })}
      >
        <input {...AMOUNT_INPUT} value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      {cards.length > 1 ? (
        <fieldset className="stack">
          <legend>{t("cardTopUpChoose")}</legend>
          {cards.map((c) => (
            <label key={`${c.bank}-${c.last4}`}>
              <input
                type="radio"
                name="card-topup-card"
                value={c.last4}
                checked={c.last4 === card?.last4}
                onChange={() => setCardLast4(c.last4)}
              />
              <span>{t("cardTopUpFrom", { bank: c.bank, last4: c.last4 })}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        card && <p data-testid="card-topup-card">{t("cardTopUpFrom", { bank: card.bank, last4: card.last4 })}</p>
      )}
      <OutcomeLine outcome={request.outcome} />
      <button type="submit" className="primary" disabled={request.busy || card === undefined}>
        {t("cardTopUpNext")}
      </button>
    </form>
  );
}

/** Her card top-up once the bank took the money: read live, so it says what is true now. */
function Done({ owner, topUp }: { owner: Address; topUp: TopUp }) {
  const t = useT(identityMessages);
  const ta = useT(accountMessages);
  const topUps = useMyTopUps(owner, true);
  const now = topUps.data?.find((r) => r.id === topUp.id) ?? topUp;
  return (
    <div className="notice stack" role="status" data-testid="card-topup-done">
      <p className="success">{t("cardTopUpDone", { amount: formatFen(BigInt(now.amountFen)) })}</p>
      <p>
        {t("cardTopUpStatus")} <Money fen={BigInt(now.amountFen)} /> · <strong>{ta(`topUp_${now.state}`)}</strong>
      </p>
    </div>
  );
}

function CodeStep({
  owner,
  started,
  onDone,
  onEnded,
}: {
  owner: Address;
  started: CardTopUpStarted;
  onDone: (topUp: TopUp) => void;
  onEnded: (text: string) => void;
}) {
  const t = useT(identityMessages);
  const f = useFormat();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const amount = formatFen(BigInt(started.topUp.amountFen));
  // The code, its box and the button on one screen (in 关怀模式 too): the step is scrolled to.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.scrollIntoView({ block: "start" });
  }, []);
  const confirm = useServiceAction(
    async (typed: string) => {
      try {
        return await confirmCardTopUp(started.topUp.id, typed);
      } catch (error) {
        // Already settled elsewhere (another tab, before a reload): say what it is now, not a guess.
        if (error instanceof CityServiceError && error.code === "not_pending") {
          const now = (await myTopUps()).find((r) => r.id === started.topUp.id);
          if (now && (now.state === "deposit_confirmed" || now.state === "issued")) return now;
        }
        // The bank gave up on this debit (expired, three wrong codes, declined): this top-up is
        // over and nothing was taken; she starts again from the amount.
        const over = endedWords(error);
        if (over !== undefined) {
          await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
          await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
          onEnded(t(over));
        }
        throw error;
      }
    },
    async (topUp) => {
      await queryClient.invalidateQueries({ queryKey: ["cityService", "topUps", owner] });
      await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
      onDone(topUp);
      return undefined;
    },
  );
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = code.replace(/\s+/g, "").replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!/^\d{6}$/.test(typed)) {
      confirm.clear();
      return setError(t("codeInvalid"));
    }
    setError(null);
    confirm.run(typed);
  };

  return (
    <form ref={form} className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="card-topup-code">
      <p>
        <strong>{t("codeFor", { amount, last4: started.topUp.cardLast4 })}</strong>
      </p>
      <p role="status">
        {t("cardTopUpSent", { last4: started.code.phoneLast4, time: f.time(started.code.expiresAt) })}
      </p>
      {started.code.shownCode !== undefined && (
        <p className="simulated-sms" data-testid="simulated-sms">
          <span className="simulated-label">{t("simulatedBank")}</span>
          <span className="simulated-code">{t("simulatedCode", { code: started.code.shownCode })}</span>
        </p>
      )}
      <Field id="card-topup-code-input" label={t("codeLabel")} error={error}>
        <input
          {...DIGITS_INPUT}
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <OutcomeLine outcome={confirm.outcome} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={confirm.busy}>
          {t("codeConfirm", { amount })}
        </button>
        <button type="button" className="secondary" disabled={confirm.busy} onClick={() => onEnded(t("codeCancelled"))}>
          {t("codeCancel")}
        </button>
      </div>
    </form>
  );
}

/** The words for a refusal that ends the debit, or undefined when she may type the code again. */
function endedWords(error: unknown): "codeExpired" | "codeTooManyTries" | "codeDeclined" | undefined {
  if (!(error instanceof CityServiceError)) return undefined;
  if (error.code === "not_pending") return "codeDeclined";
  if (error.code !== "bank_declined") return undefined;
  if (/code is wrong/i.test(error.message)) return undefined;
  if (/expired/i.test(error.message)) return "codeExpired";
  if (/too many wrong codes/i.test(error.message)) return "codeTooManyTries";
  return "codeDeclined";
}
