// Choose-a-passcode fields (twice), shared by create and restore.
import { Field } from "../../components/Field";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { MIN_PASSCODE_LENGTH } from "../../wallet/keyCrypto";

export type PasscodeState = { passcode: string; repeat: string };

export function passcodeError(state: PasscodeState): "passcodeTooShort" | "passcodeMismatch" | null {
  if (state.passcode.length < MIN_PASSCODE_LENGTH) return "passcodeTooShort";
  if (state.passcode !== state.repeat) return "passcodeMismatch";
  return null;
}

export function PasscodeFields({
  value,
  onChange,
  showErrors,
}: {
  value: PasscodeState;
  onChange: (v: PasscodeState) => void;
  showErrors: boolean;
}) {
  const t = useT(walletMessages);
  const error = showErrors ? passcodeError(value) : null;
  return (
    <fieldset className="stack">
      <legend>{t("passcodeTitle")}</legend>
      <p className="hint">{t("passcodeIntro")}</p>
      <Field id="passcode-new" label={t("passcode")} error={error === "passcodeTooShort" ? t(error) : null}>
        <input
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSCODE_LENGTH}
          value={value.passcode}
          onChange={(e) => onChange({ ...value, passcode: e.target.value })}
          required
        />
      </Field>
      <Field id="passcode-repeat" label={t("passcodeRepeat")} error={error === "passcodeMismatch" ? t(error) : null}>
        <input
          type="password"
          autoComplete="new-password"
          value={value.repeat}
          onChange={(e) => onChange({ ...value, repeat: e.target.value })}
          required
        />
      </Field>
    </fieldset>
  );
}
