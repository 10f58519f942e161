// On her History: what she paid with the 亲属卡 relatives gave her (“亲属卡 · 儿子”). The money left
// their accounts, not hers, so these are listed apart from her own movements and totals.
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { usePersonName } from "./personName";
import { useFamilyCards } from "./useFamilyCards";
import "./family.css";

export function HeldCardPayments({ me }: { me: Address }) {
  const t = useT(familyMessages);
  const fmt = useFormat();
  const nameOf = usePersonName(me);
  const { data } = useFamilyCards(me);
  const mine = (data?.payments ?? []).filter((p) => p.holder.toLowerCase() === me.toLowerCase());
  if (mine.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="held-payments-title" data-testid="held-card-payments">
      <h2 id="held-payments-title">{t("heldPaymentsTitle")}</h2>
      <p className="hint">{t("heldPaymentsHint")}</p>
      <ul className="family-payments">
        {mine.map((p) => (
          <li key={p.id}>
            <span>
              <AddressText address={p.shop} />
              <br />
              {/* Only the word is a badge (kept whole); the name wraps like any text. */}
              <span className="tag">{t("cardTag")}</span> · {nameOf(p.funder)}
              <span className="hint"> · {fmt.chainTime(p.timestamp)}</span>
            </span>
            <Money fen={p.amount} />
          </li>
        ))}
      </ul>
    </section>
  );
}
