// The checkout for one payment request: who (the merchant's registered name and category), how
// much, which order, the best voucher, then the transaction through <TxConfirm>. An order this
// payer already paid to this payee is stopped with "已付过" and when; paying again on purpose
// makes it a new order (a fresh reference), so the shop sees two orders, never one paid twice.

import type { PaymentRequest } from "@core/eip681";
import { categoryName } from "@core/enums";
import { findLookalike } from "@core/lookalike";
import { formatFen, parseYuan } from "@core/money";
import { displayOrderRef, randomOrderRef, toOrderRef } from "@core/orderRef";
import { useMemo, useState } from "react";
import { useConnection } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { AmountInWords } from "../../components/AmountInWords";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { cityYuan, familyCards } from "../../contracts";
import { useCityBalance } from "../../hooks/useCityBalance";
import { addressMessages } from "../../i18n/messages/address";
import { commonMessages } from "../../i18n/messages/common";
import { familyMessages, familyMoneyRevertMessages } from "../../i18n/messages/familyMoney";
import { moneyMessages } from "../../i18n/messages/money";
import { payMessages } from "../../i18n/messages/pay";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { lookalikeText } from "../../names/lookalikeText";
import { useKnownPayees } from "../../names/useKnownPayees";
import { useMerchant } from "../../names/useMerchant";
import { navigate } from "../../router";
import { useSettings } from "../../settings/settingsStore";
import { contractWrite } from "../../tx/contractWrite";
import { type SummaryLine, TxConfirm } from "../../tx/TxConfirm";
import type { Writes } from "../../tx/useTxFlow";
import { type CardChoice, FamilyCardChoice } from "../family/FamilyCardChoice";
import { useOrderRefTaken, usePriorPayment } from "./usePriorPayment";
import { type VoucherChoice, VoucherSuggestion } from "./VoucherSuggestion";

export function PaymentReview({ request, onReset }: { request: PaymentRequest; onReset: () => void }) {
  const t = useT(payMessages);
  const tm = useT(moneyMessages);
  const ta = useT(addressMessages);
  const tx = useT(txMessages);
  const tc = useT(commonMessages);
  const { largeText } = useSettings();
  const lang = useLang();
  const { address } = useConnection();
  const balance = useCityBalance(address);
  // Until the register answered, the page says it is checking: no "not a registered shop" warning
  // for a shop that is one, and no review yet.
  const { merchant, status: merchantStatus } = useMerchant(request.to);
  const known = useKnownPayees(address);
  // A code one character away from a shop, contact or payee she knows is stopped before paying.
  const lookalike = findLookalike(request.to, known);
  const [amountText, setAmountText] = useState("");
  const [voucherChoice, setVoucher] = useState<VoucherChoice | null>(null);
  // 亲属卡: paid from a relative's account (no voucher with it: the card pays the whole price).
  const [card, setCard] = useState<CardChoice | null>(null);
  const voucher = card ? null : voucherChoice;
  const tf = useT(familyMessages);
  const [reviewing, setReviewing] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  // A request without a reference still needs one on-chain (pay() refuses a zero ref).
  const givenRef = useMemo(() => (request.ref ? toOrderRef(request.ref) : randomOrderRef()), [request.ref]);
  const [freshRef, setFreshRef] = useState<typeof givenRef | null>(null);
  const orderRef = freshRef ?? givenRef;
  const prior = usePriorPayment(address, request.to, orderRef, request.ref !== undefined && freshRef === null);
  const alreadyPaid = prior.data ?? null;
  // A per-order code paid by someone else, or past its time: refused, never mixed into that order.
  const taken = useOrderRefTaken(request.to, orderRef, request.ref !== undefined && freshRef === null);
  const takenByOther = !alreadyPaid && taken.data ? taken.data : null;
  const expired = request.expiresAt !== undefined && Date.now() / 1000 > request.expiresAt && freshRef === null;
  const fmt = useFormat();

  const fixedAmount = request.amountFen;
  const parsed = fixedAmount !== undefined ? ({ ok: true, fen: fixedAmount } as const) : parseYuan(amountText);
  const priceFen = parsed.ok ? parsed.fen : undefined;
  const payFen = voucher ? voucher.payFen : priceFen;
  const isSelf = address !== undefined && address.toLowerCase() === request.to.toLowerCase();
  let problem: string | null = null;
  if (isSelf) problem = ta("addressSelf");
  else if (lookalike?.kind === "oneChar") problem = lookalikeText(ta, lookalike);
  else if (alreadyPaid) problem = t("alreadyPaidStop");
  else if (takenByOther) problem = t("orderTaken");
  else if (expired) problem = t("codeExpired");
  else if (!parsed.ok) problem = tm(parsed.error);
  else if (!card && balance.fen !== undefined && payFen !== undefined && payFen > balance.fen)
    problem = tm("amountOverBalance", { balance: formatFen(balance.fen) });

  const name = merchant?.name ?? null;
  if (reviewing && priceFen !== undefined && payFen !== undefined) {
    const write: Writes = card
      ? contractWrite({
          ...familyCards,
          functionName: "pay",
          args: [card.card.id, request.to, priceFen, orderRef],
        })
      : (voucher?.write ??
        contractWrite({
          address: cityYuan.address,
          abi: cityYuan.abi,
          functionName: "pay",
          args: [request.to, priceFen, orderRef],
        }));
    const summary: SummaryLine[] = [
      { label: tx("to"), value: <AddressText address={request.to} /> },
      ...(merchant ? [{ label: t("merchantCategory"), value: categoryName(merchant.category, lang) }] : []),
      { label: tx("amount"), value: <Money fen={priceFen} /> },
      ...(card ? [{ label: tf("payWithCardLine"), value: tf("cardLabel", { name: card.funderName }) }] : []),
      ...(voucher
        ? [
            {
              label: t("voucher"),
              value: `${voucher.label} · ${t("voucherSaving", { amount: formatFen(voucher.savingFen) })}`,
            },
            { label: t("youPay"), value: <Money fen={voucher.payFen} /> },
          ]
        : []),
      // 关怀模式: what she pays in 大写 and read aloud, right under the line with that very amount
      // (under 你只需付 with a voucher), so a misplaced decimal point is caught.
      ...(largeText ? [{ label: tc("amountInWords"), value: <AmountInWords fen={payFen} /> }] : []),
      { label: tx("orderRef"), value: request.ref && !freshRef ? displayOrderRef(orderRef) : t("noOrderRef") },
      { label: tx("purpose"), value: t("purpose") },
    ];
    return (
      <TxConfirm
        title={t("payTo", { name: name ?? ta("unknownAccount") })}
        payment
        summary={summary}
        write={write}
        revertReasons={card ? familyMoneyRevertMessages[lang] : voucher?.revertReasons}
        moneyOut={{ to: request.to, fen: payFen, registeredMerchant: merchant?.active === true }}
        onCancel={() => setReviewing(false)}
        onDone={() => navigate("/")}
      />
    );
  }

  return (
    <section className="card stack" aria-labelledby="pay-review-title">
      <h2 id="pay-review-title">{t("review")}</h2>
      {/* Who and how much first, then the button: in 关怀模式 the next step is on the first screen.
          The address is one tap away (tap the name). */}
      <p>
        {t("payee")}: <AddressText address={request.to} />
        {merchant && <> · {categoryName(merchant.category, lang)}</>}
        {merchant && !merchant.active && <span className="notice"> {t("inactiveMerchant")}</span>}
      </p>
      {merchantStatus !== "ready" ? (
        // Not yet known is said as such, never as 这不是登记过的商户.
        <p className="progress" aria-live="polite">
          {t("checkingMerchant")}
        </p>
      ) : merchant ? null : (
        <p className="notice" role="note">
          <span aria-hidden="true">⚠ </span>
          {t("notMerchant")}
        </p>
      )}
      {lookalike && (
        <p className={`error ${lookalike.kind === "oneChar" ? "lookalike-stop" : ""}`} role="alert">
          <span aria-hidden="true">{lookalike.kind === "oneChar" ? "⛔ " : "⚠ "}</span>
          {lookalikeText(ta, lookalike)}
        </p>
      )}
      {fixedAmount !== undefined ? (
        <p>
          {tx("amount")}: <Money fen={fixedAmount} className="big-amount" />
        </p>
      ) : (
        <Field id="pay-amount" label={t("amount")} problemAt={submitted && problem ? "pay-problem" : undefined}>
          <input {...AMOUNT_INPUT} value={amountText} onChange={(e) => setAmountText(e.target.value)} />
        </Field>
      )}
      {alreadyPaid && (
        <div className="notice already-paid" role="alert">
          <p>
            <strong>
              <span aria-hidden="true">⚠ </span>
              {t("alreadyPaid")}
            </strong>
          </p>
          <p>
            {t("alreadyPaidWhen", {
              when: fmt.chainTime(alreadyPaid.timestamp),
              amount: formatFen(alreadyPaid.amount),
            })}
          </p>
          <button type="button" className="secondary" onClick={() => setFreshRef(randomOrderRef())}>
            {t("payAgainNewOrder")}
          </button>
        </div>
      )}
      {(takenByOther || expired) && (
        <div className="error stale-order" role="alert">
          <p>
            <strong>
              <span aria-hidden="true">⛔ </span>
              {takenByOther ? t("orderTaken") : t("codeExpired")}
            </strong>
          </p>
          <p>
            {takenByOther
              ? t("orderTakenWhen", { when: fmt.chainTime(takenByOther.timestamp) })
              : t("codeExpiredWhen", { when: fmt.chainTime(request.expiresAt ?? 0) })}
          </p>
        </div>
      )}
      {priceFen !== undefined && priceFen > 0n && address && merchant?.active && !isSelf && (
        <FamilyCardChoice
          me={address}
          shopCategory={merchant.category}
          priceFen={priceFen}
          chosen={card}
          onChoose={setCard}
        />
      )}
      {priceFen !== undefined && !card && (
        <VoucherSuggestion
          merchant={request.to}
          priceFen={priceFen}
          orderRef={orderRef}
          balanceFen={balance.fen}
          onSelect={setVoucher}
        />
      )}
      {(submitted || fixedAmount !== undefined || isSelf) &&
        problem &&
        !alreadyPaid &&
        !takenByOther &&
        !expired &&
        lookalike?.kind !== "oneChar" && (
          <p id="pay-problem" className="error" role="alert">
            {problem}
          </p>
        )}
      <div className="button-row">
        <button
          type="button"
          className="primary big"
          disabled={
            alreadyPaid !== null ||
            takenByOther !== null ||
            expired ||
            lookalike?.kind === "oneChar" ||
            merchantStatus !== "ready" ||
            (request.ref !== undefined && freshRef === null && (prior.isPending || taken.isPending))
          }
          onClick={() => {
            setSubmitted(true);
            if (!problem) setReviewing(true);
          }}
        >
          {t("review")}
        </button>
        <button type="button" className="secondary" onClick={onReset}>
          {t("newPayment")}
        </button>
      </div>
      <p className="hint">
        {t("orderRef")}: {request.ref && !freshRef ? displayOrderRef(orderRef) : t("noOrderRef")}
        <br />
        {t("balanceNow")} {balance.fen !== undefined ? <Money fen={balance.fen} /> : t("balanceLoading")}
      </p>
    </section>
  );
}
