// How much more she may top up or cash out today: her identity's limit for her level less what all
// her accounts used today (GET /identity), as the service counts it.
import type { IdentityView } from "@core/identity";
import { formatFen } from "@core/money";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";

export function TodayLeft({ view, kind }: { view: IdentityView; kind: "topup" | "cashout" }) {
  const t = useT(identityMessages);
  const limit = BigInt(kind === "topup" ? view.limits.topUpFenPerDay : view.limits.cashOutFenPerDay);
  const used = BigInt(kind === "topup" ? view.usedToday.topUpFen : view.usedToday.cashOutFen);
  const left = limit > used ? limit - used : 0n;
  return (
    <p className="hint" data-testid={`${kind}-left-today`}>
      {t(kind === "topup" ? "cardTopUpLeft" : "cashOutLeft", { left: formatFen(left) })}
    </p>
  );
}
