// At a shop's checkout: when she holds an accepted 亲属卡 that covers this payment (the shop's kind
// allowed, within the per-payment limit and what is left this month), she chooses between
// “用亲属卡付（儿子）” and her own balance. Nothing is offered for a person or an unregistered
// payee (a card pays only registered shops). The funder's own balance is checked by the payment's
// simulation, which says in words if it is short.
import type { MerchantCategory } from "@core/enums";
import { formatFen } from "@core/money";
import { useEffect, useMemo } from "react";
import type { Address } from "viem";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { useT } from "../../i18n/useT";
import { allowsCategory } from "./cardLimits";
import { usePersonName } from "./personName";
import { CARD_STATUS, type FamilyCard, useFamilyCards } from "./useFamilyCards";
import "./family.css";

export type CardChoice = { card: FamilyCard; funderName: string };

export function FamilyCardChoice({
  me,
  shopCategory,
  priceFen,
  chosen,
  onChoose,
}: {
  me: Address;
  shopCategory: MerchantCategory;
  priceFen: bigint;
  chosen: CardChoice | null;
  onChoose: (choice: CardChoice | null) => void;
}) {
  const t = useT(familyMessages);
  const nameOf = usePersonName(me);
  const cards = useFamilyCards(me);
  // Only what the ledger says now: cards read before this checkout opened (another page's cache)
  // may have been lowered or stopped since, so none is offered until a read made here arrives.
  const data = cards.isFetchedAfterMount ? cards.data : undefined;
  const usable = useMemo(
    () =>
      (data?.held ?? []).filter(
        (card) =>
          card.status === CARD_STATUS.active &&
          allowsCategory(card.limits.categories, shopCategory) &&
          (card.limits.perPaymentLimit === 0 || priceFen <= BigInt(card.limits.perPaymentLimit)) &&
          priceFen <= card.leftThisMonth,
      ),
    [data, shopCategory, priceFen],
  );
  // A chosen card that no longer covers the payment (the amount changed, he lowered the limit or
  // stopped it) is dropped: the checkout says only what is true now.
  const chosenId = chosen?.card.id;
  const stillUsable = chosenId === undefined || usable.some((c) => c.id === chosenId);
  useEffect(() => {
    if (!stillUsable) onChoose(null);
  }, [stillUsable, onChoose]);

  if (usable.length === 0) return null;
  return (
    <fieldset className="pay-choice stack">
      <legend>{t("payChoiceTitle")}</legend>
      {usable.map((card) => {
        const funderName = nameOf(card.funder);
        return (
          <label key={card.id.toString()} className="checkbox">
            <input
              type="radio"
              name="pay-with"
              checked={chosenId === card.id}
              onChange={() => onChoose({ card, funderName })}
            />
            {t("payWithCard", { name: funderName, left: formatFen(card.leftThisMonth) })}
          </label>
        );
      })}
      <label className="checkbox">
        <input type="radio" name="pay-with" checked={chosenId === undefined} onChange={() => onChoose(null)} />
        {t("payWithOwn")}
      </label>
      {chosen && <p className="hint">{t("cardPaysNote", { name: chosen.funderName })}</p>}
    </fieldset>
  );
}
