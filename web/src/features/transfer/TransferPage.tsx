// Transfer to a contact, a registered shop (by its name, proposed as she types) or an account
// number, with a note kept on this device. Refuses bad account numbers, unknown names and
// amounts with a reason; stops an address one character away from a contact, a registered shop or
// someone paid before (offering the known one instead); warns about look-alikes (same ends) and
// first payments to new addresses (not to registered shops), and asks the resident to confirm.

import { findLookalike } from "@core/lookalike";
import { formatFen, parseYuan } from "@core/money";
import { type FormEvent, useMemo, useState } from "react";
import type { Address } from "viem";
import { useConfig, useConnection } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { AmountInWords } from "../../components/AmountInWords";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { useContacts } from "../../contacts/contactsStore";
import { cityYuan, delayedTransfers, deployment } from "../../contracts";
import { useCityBalance } from "../../hooks/useCityBalance";
import { addressMessages } from "../../i18n/messages/address";
import { commonMessages } from "../../i18n/messages/common";
import { delayedMessages, familyMoneyRevertMessages } from "../../i18n/messages/familyMoney";
import { moneyMessages } from "../../i18n/messages/money";
import { transferMessages } from "../../i18n/messages/transfer";
import { txMessages } from "../../i18n/messages/tx";
import { useLang, useT } from "../../i18n/useT";
import { lookalikeText, whoText } from "../../names/lookalikeText";
import { type NamedPayee, resolveRecipient, suggestRecipients } from "../../names/recipientInput";
import { useKnownPayeeList } from "../../names/useKnownPayees";
import { useMerchant } from "../../names/useMerchant";
import { navigate } from "../../router";
import { useSettings } from "../../settings/settingsStore";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import type { Writes } from "../../tx/useTxFlow";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import { type ExactPermit, signExactPermit } from "../redpackets/exactPermit";
import { ArrivesAt, DELAYS, type Delay, DelayChoice } from "./DelayChoice";
import { saveTransferNote } from "./transferNotes";
import { useHasPaidBefore } from "./useHasPaidBefore";

type Draft = {
  to: Address;
  name?: string;
  fen: bigint;
  note: string;
  /** Seconds until it arrives (转账延时到账), 0 for at once. */
  delay: Delay;
  /** A built-in or browser wallet's permit for exactly this amount to the delayed-transfer escrow. */
  permit: ExactPermit | null;
};

export default function TransferPage() {
  const t = useT(transferMessages);
  const ta = useT(addressMessages);
  const tc = useT(commonMessages);
  const { largeText } = useSettings();
  const tm = useT(moneyMessages);
  const tx = useT(txMessages);
  const { address: me } = useConnection();
  const contacts = useContacts(me);
  const balance = useCityBalance(me);
  const [contactId, setContactId] = useState("");
  const [addressText, setAddressText] = useState("");
  const [amountText, setAmountText] = useState("");
  const [note, setNote] = useState("");
  const [acknowledged, setAcknowledged] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  // The "tick the box first" line shows only once she tried to go on without ticking it, for
  // this recipient: choosing another one starts again.
  const [ackTried, setAckTried] = useState(false);
  // A proposal she tapped: the one she meant, even if another account has the same name.
  const [picked, setPicked] = useState<NamedPayee | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // 转账延时到账 for someone she never paid: her choice, or (not chosen yet) 关怀模式's proposal.
  const [delayChoice, setDelayChoice] = useState<Delay | null>(null);
  const [permitError, setPermitError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const config = useConfig();
  const { connector } = useConnection();
  const td = useT(delayedMessages);
  const failureText = useTxFailureText();
  const lang = useLang();

  const contact = contacts.find((c) => c.id === contactId);
  const known = useKnownPayeeList(me);
  const named = useMemo(
    () =>
      known.payees.flatMap((p): NamedPayee[] =>
        p.name && (p.kind === "shop" || p.kind === "contact")
          ? [{ name: p.name, address: p.address, kind: p.kind }]
          : [],
      ),
    [known.payees],
  );
  const recipient = contact
    ? ({ kind: "named", payee: { name: contact.name, address: contact.address, kind: "contact" } } as const)
    : picked && picked.name === addressText
      ? ({ kind: "named", payee: picked } as const)
      : resolveRecipient(addressText, named);
  const suggestions = contact || recipient.kind === "named" ? [] : suggestRecipients(addressText, named);
  const to =
    recipient.kind === "address" ? recipient.address : recipient.kind === "named" ? recipient.payee.address : undefined;
  const paidBefore = useHasPaidBefore(me, to);
  const { merchant: toShop, status: toShopStatus } = useMerchant(to);
  const parsedAmount = parseYuan(amountText);
  // A name typed before the shops were read is not "not found" yet.
  const stillLooking = recipient.kind === "notFound" && known.isLoading;

  const chooseRecipient = (text: string, payee: NamedPayee | null = null) => {
    setPicked(payee);
    setAddressText(text);
    setAcknowledged(false);
    setAckTried(false);
    setDelayChoice(null);
  };

  let addressError: string | null = null;
  if (recipient.kind === "empty") addressError = t("recipientMissing");
  else if (recipient.kind === "badAddress") addressError = ta(recipient.error);
  else if (recipient.kind === "notFound" && suggestions.length > 0) addressError = t("namePick");
  else if (recipient.kind === "notFound" && !stillLooking) addressError = t("nameNotFound", { name: recipient.text });
  else if (recipient.kind === "ambiguous") addressError = t("nameAmbiguous", { name: addressText.trim() });
  else if (to && me && to.toLowerCase() === me.toLowerCase()) addressError = ta("addressSelf");
  else if (to && deployment && Object.values(deployment.contracts).some((c) => c.toLowerCase() === to.toLowerCase()))
    addressError = ta("addressToken");

  let amountError: string | null = null;
  if (!parsedAmount.ok) amountError = tm(parsedAmount.error);
  else if (balance.fen !== undefined && parsedAmount.fen > balance.fen)
    amountError = tm("amountOverBalance", { balance: formatFen(balance.fen) });

  const isContact = to !== undefined && contacts.some((c) => c.address.toLowerCase() === to.toLowerCase());
  const lookalike = to && !isContact ? findLookalike(to, known.payees) : undefined;
  // One character off a known address: stopped, not just warned.
  if (!addressError && lookalike?.kind === "oneChar") addressError = lookalikeText(ta, lookalike);
  // Registered shops are not strangers (judged once the register answered, never before).
  const firstTime = to !== undefined && !isContact && toShopStatus === "ready" && !toShop && paidBefore.data === false;
  const needsAck = Boolean(lookalike || firstTime);
  // Offered for a first payment to a person only: a registered shop is paid at once (the escrow
  // refuses shops), and someone she paid before is not a stranger.
  const delay: Delay = firstTime ? (delayChoice ?? (largeText ? DELAYS.short : 0)) : 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (addressError || amountError || !to || !parsedAmount.ok) return;
    if (paidBefore.isLoading || toShopStatus === "loading") return;
    if (needsAck && !acknowledged) {
      setAckTried(true);
      return;
    }
    // The review names who it goes to, however she chose it (an account number of a shop too).
    const name =
      recipient.kind === "named"
        ? recipient.payee.name
        : (toShop?.name ?? contacts.find((c) => c.address.toLowerCase() === to.toLowerCase())?.name);
    const fen = parsedAmount.fen;
    let permit: ExactPermit | null = null;
    // A wallet that sends one transaction at a time funds the escrow with a permit for exactly this
    // amount, signed now (no standing approval); a passkey account approves and sends in one operation.
    if (delay !== 0 && connector?.id !== PASSKEY_WALLET_ID) {
      setSigning(true);
      setPermitError(null);
      try {
        permit = await signExactPermit(config, delayedTransfers.address, fen);
      } catch (error) {
        setPermitError(failureText(classifyTxError(error)));
        return;
      } finally {
        setSigning(false);
      }
    }
    setDraft({ to, name, fen, note: note.trim(), delay, permit });
  };

  if (draft && cityYuan && me) {
    const write: Writes =
      draft.delay === 0
        ? contractWrite({
            address: cityYuan.address,
            abi: cityYuan.abi,
            functionName: "transfer",
            args: [draft.to, draft.fen],
          })
        : draft.permit
          ? contractWrite({
              ...delayedTransfers,
              functionName: "sendWithPermit",
              args: [
                draft.to,
                draft.fen,
                BigInt(draft.delay),
                draft.permit.deadline,
                draft.permit.v,
                draft.permit.r,
                draft.permit.s,
              ],
            })
          : [
              contractWrite({ ...cityYuan, functionName: "approve", args: [delayedTransfers.address, draft.fen] }),
              contractWrite({
                ...delayedTransfers,
                functionName: "send",
                args: [draft.to, draft.fen, BigInt(draft.delay)],
              }),
            ];
    const hours = draft.delay / 3600;
    return (
      <div>
        <h1>{t("title")}</h1>
        <TxConfirm
          title={t("reviewTitle", { name: draft.name ?? ta("unknownAccount") })}
          payment
          summary={[
            { label: tx("to"), value: <AddressText address={draft.to} /> },
            { label: tx("amount"), value: <Money fen={draft.fen} /> },
            ...(largeText ? [{ label: tc("amountInWords"), value: <AmountInWords fen={draft.fen} /> }] : []),
            ...(draft.delay !== 0
              ? [{ label: td("reviewArrives"), value: <ArrivesAt delay={draft.delay} hours={hours} /> }]
              : []),
            { label: tx("purpose"), value: draft.delay === 0 ? t("purpose") : td("purpose") },
            ...(draft.note ? [{ label: tx("note"), value: draft.note }] : []),
          ]}
          write={write}
          revertReasons={familyMoneyRevertMessages[lang]}
          onSent={(hash) => {
            if (draft.note)
              saveTransferNote(me, { hash, to: draft.to, fen: draft.fen.toString(), note: draft.note, at: Date.now() });
          }}
          moneyOut={{ to: draft.to, fen: draft.fen }}
          onCancel={() => setDraft(null)}
          onDone={() => navigate(draft.delay === 0 ? "/" : "/history")}
        />
      </div>
    );
  }

  return (
    <div>
      <h1>{t("title")}</h1>
      <form className="card stack" onSubmit={(e) => void submit(e)} noValidate>
        {contacts.length > 0 && (
          <label className="field">
            <span>{t("toContact")}</span>
            <select
              value={contactId}
              onChange={(e) => {
                setContactId(e.target.value);
                setAcknowledged(false);
                setAckTried(false);
              }}
            >
              <option value="">{t("chooseContact")}</option>
              {contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {!contact && (
          <label className="field">
            <span>{t("toAddress")}</span>
            <input
              type="text"
              value={addressText}
              onChange={(e) => chooseRecipient(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              placeholder={t("recipientPlaceholder")}
              aria-invalid={submitted && addressError !== null}
              aria-describedby={submitted && addressError ? "transfer-address-error" : undefined}
              aria-controls={suggestions.length > 0 ? "transfer-suggestions" : undefined}
            />
          </label>
        )}
        {suggestions.length > 0 && (
          <ul id="transfer-suggestions" className="recipient-suggestions" aria-label={t("suggestionsLabel")}>
            {suggestions.map((p) => (
              <li key={`${p.kind}-${p.address}`}>
                <button type="button" className="secondary" onClick={() => chooseRecipient(p.name, p)}>
                  <span className="address-name">{p.name}</span>
                  <span className="tag">{p.kind === "shop" ? ta("merchantTag") : ta("contactTag")}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {to && !addressError && (
          <p>
            <AddressText address={to} />
          </p>
        )}
        {(submitted || lookalike?.kind === "oneChar") && addressError && (
          <div id="transfer-address-error" className="error lookalike-stop" role="alert">
            <p>
              {lookalike?.kind === "oneChar" && <span aria-hidden="true">⛔ </span>}
              {addressError}
            </p>
            {lookalike?.kind === "oneChar" && (
              <button type="button" className="secondary" onClick={() => chooseRecipient(lookalike.known.address)}>
                {ta("payKnownInstead", { who: whoText(ta, lookalike.known) })}
              </button>
            )}
          </div>
        )}
        {!addressError && lookalike && (
          <p className="error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {lookalikeText(ta, lookalike)}
          </p>
        )}
        {!addressError && !lookalike && firstTime && (
          <p className="notice" role="note">
            <span aria-hidden="true">ⓘ </span>
            {t("firstTimeWarning")}
            {` ${delay === 0 ? td("protectsGeneric") : td("protects", { hours: delay / 3600 })}`}
          </p>
        )}
        {!addressError && firstTime && <DelayChoice value={delay} onChange={setDelayChoice} />}
        {!addressError && toShop?.active && (
          <p className="hint" data-testid="shop-at-once">
            {td("shopAtOnce")}
          </p>
        )}
        {!addressError && needsAck && (
          <label className="checkbox">
            <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
            {t("acknowledge")}
          </label>
        )}
        {ackTried && !addressError && needsAck && !acknowledged && (
          <p className="error" role="alert">
            {t("acknowledgeRequired")}
          </p>
        )}
        <Field id="transfer-amount" label={t("amount")} error={submitted && amountError ? amountError : null}>
          <input {...AMOUNT_INPUT} value={amountText} onChange={(e) => setAmountText(e.target.value)} />
        </Field>
        {balance.fen !== undefined && (
          <p className="hint">
            {t("balanceNow")} <Money fen={balance.fen} />
          </p>
        )}
        <label className="field">
          <span>{t("note")}</span>
          <input
            type="text"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={100}
            autoComplete="off"
          />
        </label>
        {submitted && ((to && paidBefore.isLoading) || stillLooking) && <p className="progress">{t("checking")}</p>}
        {permitError && (
          <p className="error" role="alert">
            {permitError}
          </p>
        )}
        <button type="submit" className="primary big" disabled={signing}>
          {t("next")}
        </button>
      </form>
    </div>
  );
}
