// The amount as a person says it, for the payment confirmation in 关怀模式: in 大写 (壹拾伍元整)
// for Chinese, and read aloud on a tap (browsers speak only after a tap, so it is a button).

import { formatFen } from "@core/money";
import { commonMessages } from "../i18n/messages/common";
import { useLang, useT } from "../i18n/useT";
import { fenToChineseCapital } from "../lib/chineseAmount";

export function AmountInWords({ fen }: { fen: bigint }) {
  const t = useT(commonMessages);
  const lang = useLang();
  const capital = fenToChineseCapital(fen);
  const spoken = lang === "zh" ? capital : t("amountSpoken", { amount: formatFen(fen, { style: "unit" }) });
  const canSpeak = typeof window !== "undefined" && "speechSynthesis" in window;
  return (
    <span className="amount-in-words">
      {lang === "zh" && <span className="amount-capital">{capital}</span>}
      {canSpeak && (
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            const utterance = new SpeechSynthesisUtterance(spoken);
            utterance.lang = lang === "zh" ? "zh-CN" : "en-GB";
            window.speechSynthesis.cancel();
            window.speechSynthesis.speak(utterance);
          }}
        >
          <span aria-hidden="true">🔊 </span>
          {t("readAmount")}
        </button>
      )}
    </span>
  );
}
