// Transfer to a contact, a registered shop (by its name, proposed as she types) or an account
// number, with a note kept on this device. Refuses bad account numbers, unknown names and
// amounts with a reason; stops an address one character away from a contact, a registered shop or
// someone paid before (offering the known one instead); warns about look-alikes (same ends) and
// first payments to new addresses (not to registered shops), and asks the resident to confirm.

import { findLookalike } from "@core/lookalike";
import { formatFen, parseYuan } from "@core/money";
import { type FormEvent, useMemo, useState } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { AmountInWords } from "../../components/AmountInWords";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { useContacts } from "../../contacts/contactsStore";
import { cityYuan, deployment } from "../../contracts";
import { useCityBalance } from "../../hooks/useCityBalance";
import { addressMessages } from "../../i18n/messages/address";
import { commonMessages } from "../../i18n/messages/common";
import { moneyMessages } from "../../i18n/messages/money";
import { transferMessages } from "../../i18n/messages/transfer";
import { txMessages } from "../../i18n/messages/tx";
import { useT } from "../../i18n/useT";
import { lookalikeText, whoText } from "../../names/lookalikeText";
import { type NamedPayee, resolveRecipient, suggestRecipients } from "../../names/recipientInput";
import { useKnownPayeeList } from "../../names/useKnownPayees";
import { useMerchant } from "../../names/useMerchant";
import { navigate } from "../../router";
import { useSettings } from "../../settings/settingsStore";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { saveTransferNote } from "./transferNotes";
import { useHasPaidBefore } from "./useHasPaidBefore";

type Draft = { to: Address; name?: string; fen: bigint; note: string };

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

  const submit = (event: FormEvent) => {
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
    setDraft({ to, name, fen: parsedAmount.fen, note: note.trim() });
  };

  if (draft && cityYuan && me) {
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
            { label: tx("purpose"), value: t("purpose") },
            ...(draft.note ? [{ label: tx("note"), value: draft.note }] : []),
          ]}
          write={contractWrite({
            address: cityYuan.address,
            abi: cityYuan.abi,
            functionName: "transfer",
            args: [draft.to, draft.fen],
          })}
          onSent={(hash) => {
            if (draft.note)
              saveTransferNote(me, { hash, to: draft.to, fen: draft.fen.toString(), note: draft.note, at: Date.now() });
          }}
          moneyOut={{ to: draft.to, fen: draft.fen }}
          onCancel={() => setDraft(null)}
          onDone={() => navigate("/")}
        />
      </div>
    );
  }

  return (
    <div>
      <h1>{t("title")}</h1>
      <form className="card stack" onSubmit={submit} noValidate>
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
        <button type="submit" className="primary big">
          {t("next")}
        </button>
      </form>
    </div>
  );
}
