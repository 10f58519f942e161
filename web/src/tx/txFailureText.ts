// The one wording of a failed transaction or signature, in the resident's language: every kind of
// failure has its own sentence (never a raw word such as "notConnected"), and a contract's refusal
// is named by its custom error (revert.ts, or a feature's own words for its contract's errors).
import type { Lang } from "@core/i18n";
import { useCallback } from "react";
import { revertMessages } from "../i18n/messages/revert";
import { txMessages } from "../i18n/messages/tx";
import { translate, useLang } from "../i18n/useT";
import type { TxFailure } from "./txErrors";

export type AnyTxFailure = TxFailure | { kind: "revertedOnChain" };

/** Extra plain-words reasons for a feature's own custom errors, by error name. */
export type RevertReasons = Partial<Record<string, string>>;

export function txFailureText(failure: AnyTxFailure, lang: Lang, revertReasons?: RevertReasons): string {
  const t = (key: keyof (typeof txMessages)["en"], vars?: Record<string, string>) =>
    translate(txMessages, lang, key, vars);
  switch (failure.kind) {
    case "cancelled":
      return t("txCancelled");
    case "network":
      return t("txNetwork");
    case "wrongNetwork":
      return t("txWrongNetwork");
    case "notDeployed":
      return t("txNotDeployed");
    case "locked":
      return t("txLocked");
    case "notConnected":
      return t("txNotConnected");
    case "notEnoughGas":
      return t("txNotEnoughGas");
    case "passkeyNotConfirmed":
      return t("txPasskeyNotConfirmed");
    case "revertedOnChain":
      return t("txRevertedOnChain");
    case "reverted": {
      const words: Partial<Record<string, string>> = revertMessages[lang];
      const known = revertReasons?.[failure.errorName] ?? words[failure.errorName];
      // An error name (NotFoundError, ERC20…) never reaches the screen; 详情 has it.
      return known ? t("txReverted", { reason: known }) : t("txRevertedUnknown");
    }
    case "unknown":
      return t("txUnknown");
  }
}

/** `txFailureText` bound to the resident's language. */
export function useTxFailureText(): (failure: AnyTxFailure, revertReasons?: RevertReasons) => string {
  const lang = useLang();
  return useCallback((failure, revertReasons) => txFailureText(failure, lang, revertReasons), [lang]);
}
