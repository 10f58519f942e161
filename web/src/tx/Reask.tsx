// Asking again when money leaves (core/reask.ts): which way to ask for the connected wallet, and
// the words (and, for the built-in wallet, the passcode field) shown above the confirm button.

import { formatFen } from "@core/money";
import { reaskReason } from "@core/reask";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { Field } from "../components/Field";
import { useContacts } from "../contacts/contactsStore";
import { useHasPaidBefore } from "../features/transfer/useHasPaidBefore";
import { passkeyMessages } from "../i18n/messages/passkey";
import { useT } from "../i18n/useT";
import { useSettings } from "../settings/settingsStore";
import { BUILT_IN_WALLET_ID } from "../wallet/builtInConnector";
import { PASSKEY_WALLET_ID } from "../wallet/passkey/passkeyConnector";
import { getSession } from "../wallet/session";

/** Money that leaves the resident's account with this write. */
export type MoneyOut = { to: Address; fen: bigint; registeredMerchant?: boolean };

/** "passkey": the fingerprint asked when sending is the re-ask; "passcode": ask the passcode first. */
export type ReaskMode = "passkey" | "passcode" | "wallet";

export function useReask(moneyOut: MoneyOut | undefined) {
  const { address: me, connector } = useConnection();
  const contacts = useContacts(me);
  const { reaskLimitFen } = useSettings();
  const paidBefore = useHasPaidBefore(me, moneyOut?.to);
  if (!moneyOut || !me) return null;
  const reason = reaskReason({
    fen: moneyOut.fen,
    limitFen: BigInt(reaskLimitFen),
    isContact: contacts.some((c) => c.address.toLowerCase() === moneyOut.to.toLowerCase()),
    isRegisteredMerchant: moneyOut.registeredMerchant === true,
    paidBefore: paidBefore.data,
  });
  if (!reason) return null;
  let mode: ReaskMode = "wallet";
  if (connector?.id === PASSKEY_WALLET_ID) mode = "passkey";
  // The built-in wallet with the resident's own key asks its passcode; the local demo keys have none.
  else if (connector?.id === BUILT_IN_WALLET_ID && getSession()?.source === "keystore") mode = "passcode";
  return { reason, mode, limitFen: BigInt(reaskLimitFen) };
}

export function ReaskNotice({
  reask,
  passcode,
  onPasscode,
}: {
  reask: NonNullable<ReturnType<typeof useReask>>;
  passcode: string;
  onPasscode: (value: string) => void;
}) {
  const t = useT(passkeyMessages);
  const limit = formatFen(reask.limitFen);
  const words =
    reask.mode === "passcode"
      ? reask.reason === "amount"
        ? t("reaskAmountPasscode", { limit })
        : t("reaskNewPersonPasscode")
      : reask.reason === "amount"
        ? t("reaskAmount", { limit })
        : t("reaskNewPerson");
  return (
    <div className="notice stack" data-testid="reask">
      <p>
        <strong>{t("reaskTitle")}</strong>
      </p>
      <p>{words}</p>
      {reask.mode === "passcode" && (
        <Field id="reask-passcode" label={t("passcode")}>
          <input
            type="password"
            autoComplete="current-password"
            value={passcode}
            onChange={(e) => onPasscode(e.target.value)}
          />
        </Field>
      )}
    </div>
  );
}
