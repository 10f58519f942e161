// The resident's limit for asking again (core/reask.ts): above it, a payment or transfer asks for
// the fingerprint, face or passcode once more. 500 元 until changed here.

import { formatFen } from "@core/money";
import { parseLimitYuan } from "@core/reask";
import { type FormEvent, useState } from "react";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useT } from "../../i18n/useT";
import { updateSettings, useSettings } from "../../settings/settingsStore";

export function ReaskLimit() {
  const t = useT(passkeyMessages);
  const { reaskLimitFen } = useSettings();
  const current = BigInt(reaskLimitFen);
  const [text, setText] = useState(formatFen(current, { style: "plain", grouping: false }));
  const [error, setError] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = (event: FormEvent) => {
    event.preventDefault();
    const fen = parseLimitYuan(text);
    setError(fen === null);
    setSaved(fen !== null);
    if (fen !== null) updateSettings({ reaskLimitFen: fen.toString() });
  };

  return (
    <form className="stack reask-limit" onSubmit={save} noValidate>
      <Field
        id="reask-limit"
        label={t("limitLabel")}
        hint={t("limitHint", { limit: formatFen(current) })}
        error={error ? t("limitInvalid") : null}
      >
        <input
          {...AMOUNT_INPUT}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
        />
      </Field>
      {saved && <p className="success">{t("limitSaved")}</p>}
      <button type="submit" className="secondary">
        {t("limitSave")}
      </button>
    </form>
  );
}
