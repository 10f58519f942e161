// Her verification level and what it lets her do per day, in plain words: the limit, what she used
// today and what is left, all her accounts together (the service counts per person).
import type { IdentityLevel } from "@core/identity";
import { formatFen } from "@core/money";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import type { IdentityAnswer } from "../../service/cityService";
import { verifiedView } from "./useIdentity";

const WHAT: Record<IdentityLevel, "levelNoneWhat" | "levelPhoneWhat" | "levelBankWhat"> = {
  none: "levelNoneWhat",
  phone: "levelPhoneWhat",
  bank: "levelBankWhat",
};

export function LevelCard({ answer }: { answer: IdentityAnswer }) {
  const t = useT(identityMessages);
  const view = verifiedView(answer);
  const limits = answer.limits;
  const used = view?.usedToday ?? { topUpFen: "0", cashOutFen: "0" };
  const left = (limit: string, spent: string) => {
    const rest = BigInt(limit) - BigInt(spent);
    return formatFen(rest > 0n ? rest : 0n);
  };
  return (
    <section
      className="card stack"
      aria-labelledby="level-title"
      data-testid="identity-level"
      data-level={answer.level}
    >
      <h2 id="level-title">{t("levelTitle")}</h2>
      <p>
        <strong className={answer.level === "none" ? undefined : "success"}>
          {answer.level === "none" ? "" : "✓ "}
          {t(`level_${answer.level}`)}
        </strong>
        {view?.maskedName && <> · {t("verifiedAs", { name: view.maskedName })}</>}
      </p>
      <p>{t(WHAT[answer.level])}</p>
      {answer.level !== "none" && (
        <>
          <h3>{t("limitsTitle")}</h3>
          <ul className="identity-limits" data-testid="identity-limits">
            <li>
              {t("limitTopUp", {
                limit: formatFen(BigInt(limits.topUpFenPerDay)),
                used: formatFen(BigInt(used.topUpFen)),
                left: left(limits.topUpFenPerDay, used.topUpFen),
              })}
            </li>
            <li>
              {t("limitCashOut", {
                limit: formatFen(BigInt(limits.cashOutFenPerDay)),
                used: formatFen(BigInt(used.cashOutFen)),
                left: left(limits.cashOutFenPerDay, used.cashOutFen),
              })}
            </li>
            <li>{t("limitBalance", { limit: formatFen(BigInt(limits.balanceFen)) })}</li>
          </ul>
          <p className="hint">{t("limitsReset")}</p>
        </>
      )}
    </section>
  );
}
