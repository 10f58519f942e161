// Transfer to a contact or an address, with a note kept on this device. Refuses bad addresses and
// amounts with a reason; stops an address one character away from a contact, a registered shop or
// someone paid before (offering the known one instead); warns about look-alikes (same ends) and
// first payments to new addresses (not to registered shops), and asks the resident to confirm.

import { findLookalike } from "@core/lookalike";
import { formatFen, parseYuan } from "@core/money";
import { type FormEvent, useState } from "react";
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
import { parseAddressInput } from "../../lib/addressInput";
import { lookalikeText, whoText } from "../../names/lookalikeText";
import { useKnownPayees } from "../../names/useKnownPayees";
import { useMerchant } from "../../names/useMerchant";
import { navigate } from "../../router";
import { useSettings } from "../../settings/settingsStore";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { saveTransferNote } from "./transferNotes";
import { useHasPaidBefore } from "./useHasPaidBefore";

type Draft = { to: Address; fen: bigint; note: string };

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
  const [draft, setDraft] = useState<Draft | null>(null);

  const contact = contacts.find((c) => c.id === contactId);
  const parsedAddress = contact ? ({ ok: true, address: contact.address } as const) : parseAddressInput(addressText);
  const to = parsedAddress.ok ? parsedAddress.address : undefined;
  const paidBefore = useHasPaidBefore(me, to);
  const known = useKnownPayees(me);
  const { merchant: toShop, status: toShopStatus } = useMerchant(to);
  const parsedAmount = parseYuan(amountText);

  let addressError: string | null = null;
  if (!parsedAddress.ok) addressError = ta(parsedAddress.error);
  else if (me && parsedAddress.address.toLowerCase() === me.toLowerCase()) addressError = ta("addressSelf");
  else if (
    deployment &&
    Object.values(deployment.contracts).some((c) => c.toLowerCase() === parsedAddress.address.toLowerCase())
  )
    addressError = ta("addressToken");

  let amountError: string | null = null;
  if (!parsedAmount.ok) amountError = tm(parsedAmount.error);
  else if (balance.fen !== undefined && parsedAmount.fen > balance.fen)
    amountError = tm("amountOverBalance", { balance: formatFen(balance.fen) });

  const isContact = to !== undefined && contacts.some((c) => c.address.toLowerCase() === to.toLowerCase());
  const lookalike = to && !isContact ? findLookalike(to, known) : undefined;
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
    if (needsAck && !acknowledged) return;
    setDraft({ to, fen: parsedAmount.fen, note: note.trim() });
  };

  if (draft && cityYuan && me) {
    return (
      <div>
        <h1>{t("title")}</h1>
        <TxConfirm
          title={t("reviewTitle", { name: contact?.name ?? ta("unknownAccount") })}
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
              onChange={(e) => {
                setAddressText(e.target.value);
                setAcknowledged(false);
              }}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              placeholder="0x…"
              aria-invalid={submitted && addressError !== null}
              aria-describedby={submitted && addressError ? "transfer-address-error" : undefined}
            />
          </label>
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
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setAddressText(lookalike.known.address);
                  setAcknowledged(false);
                }}
              >
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
        {submitted && !addressError && needsAck && !acknowledged && (
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
        {submitted && to && paidBefore.isLoading && <p className="progress">{t("checking")}</p>}
        <button type="submit" className="primary big">
          {t("next")}
        </button>
      </form>
    </div>
  );
}
