// Choosing who can help her get her account back: family members from her contacts or pasted
// account numbers (shown by name, or as a 陌生账户 she can open, like every address), how many must
// agree, and optionally the city's recovery desk; then the review and one confirmation
// (CityRecovery.setGuardians). The first choice takes effect at once; a change waits out the delay.
import { type FormEvent, useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { AddressText } from "../../components/AddressText";
import { Field } from "../../components/Field";
import { useContacts } from "../../contacts/contactsStore";
import { recoveryMessages, recoveryRevertMessages } from "../../i18n/messages/recovery";
import { txMessages } from "../../i18n/messages/tx";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { cityRecovery, delayWords, type Guardians, type RecoverySettings } from "./useRecovery";

export function GuardiansForm({
  me,
  settings,
  onDone,
  onCancel,
}: {
  me: Address;
  settings: RecoverySettings;
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useT(recoveryMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const contacts = useContacts(me);
  const start = settings.scheduled ?? settings.guardians;
  const [family, setFamily] = useState<Address[]>([...start.family]);
  const [threshold, setThreshold] = useState(start.threshold || 2);
  const [cityDesk, setCityDesk] = useState(start.cityDesk);
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [review, setReview] = useState<Guardians | null>(null);

  const count = family.length + (cityDesk ? 1 : 0);
  const effectiveThreshold = Math.min(Math.max(threshold, 1), Math.max(count, 1));
  const has = (a: Address) => family.some((f) => f.toLowerCase() === a.toLowerCase());

  const add = (address: Address): string | null => {
    if (address.toLowerCase() === me.toLowerCase()) return t("pasteSelf");
    if (has(address)) return t("pasteTwice");
    if (family.length >= settings.maxGuardians) return t("tooMany", { max: String(settings.maxGuardians) });
    setFamily([...family, getAddress(address)]);
    return null;
  };
  const toggle = (address: Address, on: boolean) => {
    if (on) setError(add(address));
    else setFamily(family.filter((f) => f.toLowerCase() !== address.toLowerCase()));
  };
  const paste = () => {
    const text = pasted.trim();
    if (!isAddress(text, { strict: false })) {
      setPasteError(t("pasteInvalid"));
      return;
    }
    const refused = add(text as Address);
    setPasteError(refused);
    if (!refused) setPasted("");
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (count === 0) {
      setError(t("pickSomeone"));
      return;
    }
    setError(null);
    setReview({ family, threshold: effectiveThreshold, cityDesk });
  };

  if (review) {
    const delay = settings.guardians.threshold === 0 ? 0 : changeDelay(settings);
    return (
      <section className="card" aria-label={t("reviewTitle")}>
        <TxConfirm
          title={t("reviewTitle")}
          summary={[
            {
              label: t("reviewPeople"),
              value: (
                <ul className="plain-list">
                  {review.family.map((g) => (
                    <li key={g}>
                      <AddressText address={g} />
                    </li>
                  ))}
                  {review.cityDesk && <li>{t("deskMember")}</li>}
                </ul>
              ),
            },
            {
              label: t("reviewNeeds"),
              value: t("lostApprovalsValue", {
                n: String(review.threshold),
                threshold: String(review.family.length + (review.cityDesk ? 1 : 0)),
              }),
            },
            {
              label: t("reviewWhen"),
              value: delay === 0 ? t("reviewNow") : t("reviewLater", { delay: delayWords(delay, t) }),
            },
            { label: tx("purpose"), value: t("purposeSet") },
          ]}
          write={contractWrite({
            ...cityRecovery,
            functionName: "setGuardians",
            args: [review.family, review.threshold, review.cityDesk],
          })}
          confirmLabel={t("confirmSet")}
          revertReasons={recoveryRevertMessages[lang]}
          onCancel={() => setReview(null)}
          onDone={onDone}
        />
      </section>
    );
  }

  const others = family.filter((f) => !contacts.some((c) => c.address.toLowerCase() === f.toLowerCase()));
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="guardians-form-title">
      <h2 id="guardians-form-title">{t("chooseTitle")}</h2>
      <p className="hint">{t("chooseHint")}</p>
      <fieldset className="stack">
        <legend>{t("fromContacts")}</legend>
        {contacts.length === 0 && <p className="hint">{t("noContacts")}</p>}
        {contacts.map((c) => (
          <label key={c.id} className="checkbox">
            <input
              type="checkbox"
              checked={has(c.address as Address)}
              onChange={(e) => toggle(c.address as Address, e.target.checked)}
            />
            {c.name}
          </label>
        ))}
        {others.map((g) => (
          <span key={g} className="checkbox guardian-pasted">
            <AddressText address={g} />
            <button type="button" className="secondary small" onClick={() => toggle(g, false)}>
              {t("remove")}
            </button>
          </span>
        ))}
      </fieldset>
      <Field id="guardian-paste" label={t("pasteLabel")} error={pasteError}>
        <input
          type="text"
          value={pasted}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setPasted(e.target.value)}
        />
      </Field>
      <button type="button" className="secondary" onClick={paste}>
        {t("pasteAdd")}
      </button>
      <label className="checkbox">
        <input type="checkbox" checked={cityDesk} onChange={(e) => setCityDesk(e.target.checked)} />
        {t("deskLabel", { deskDelay: delayWords(settings.deskDelay, t) })}
      </label>
      <Field id="guardian-threshold" label={t("thresholdLabel")} hint={t("thresholdHint")}>
        <select value={effectiveThreshold} onChange={(e) => setThreshold(Number(e.target.value))}>
          {Array.from({ length: Math.max(count, 1) }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {t("thresholdOption", { n: String(n) })}
            </option>
          ))}
        </select>
      </Field>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary big">
        {t("next")}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t("keep")}
      </button>
    </form>
  );
}

/** How long a change waits: as long as a recovery by her current helpers would. */
export function changeDelay(settings: RecoverySettings): number {
  const { family, threshold } = settings.guardians;
  if (threshold === 0) return 0;
  return family.length >= threshold ? settings.familyDelay : settings.deskDelay;
}
