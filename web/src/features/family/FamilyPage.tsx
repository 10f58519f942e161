// 亲属卡: the cards relatives gave me (offers to accept or decline, what is left this month, what I
// paid with them) first, as the mother opens it; then the cards I gave (each payment as it happens,
// change the limit, stop) and the form to give one. All read from the chain on every block.
import { formatFen } from "@core/money";
import { useState } from "react";
import { useConnection } from "wagmi";
import { cityYuan, familyCards } from "../../contracts";
import { familyMessages, familyMoneyRevertMessages } from "../../i18n/messages/familyMoney";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { GiveCardForm } from "./GiveCardForm";
import { GivenCardItem } from "./GivenCardItem";
import { HeldCardItem } from "./HeldCardItem";
import { neededAllowance, useFamilyCards } from "./useFamilyCards";
import "./family.css";
import { Money } from "../../components/Money";

export default function FamilyPage() {
  const t = useT(familyMessages);
  const lang = useLang();
  const { address: me } = useConnection();
  const cards = useFamilyCards(me);
  const revertReasons = familyMoneyRevertMessages[lang];
  const [toppingUp, setToppingUp] = useState(false);
  // A new form after each card given (nothing of the last one survives).
  const [formKey, setFormKey] = useState(0);
  const data = cards.data;
  const refresh = () => void cards.refetch();

  if (!me) return null;
  const needed = data ? neededAllowance(data.given) : 0n;

  return (
    <div>
      <h1>{t("title")}</h1>
      <p className="hint">{t("intro")}</p>
      {!data ? (
        <p className={cards.isError ? "error" : "progress"} role={cards.isError ? "alert" : undefined}>
          {cards.isError ? t("readFailed") : t("loading")}
        </p>
      ) : (
        <>
          <section aria-labelledby="held-title" className="stack">
            <h2 id="held-title">{t("heldTitle")}</h2>
            {data.held.length === 0 && <p className="hint">{t("heldNone")}</p>}
            {data.held.map((card) => (
              <HeldCardItem
                key={card.id.toString()}
                me={me}
                card={card}
                payments={data.payments.filter((p) => p.cardId === card.id)}
                revertReasons={revertReasons}
                onDone={refresh}
              />
            ))}
          </section>
          <section aria-labelledby="given-title" className="stack">
            <h2 id="given-title">{t("givenTitle")}</h2>
            {data.given.length === 0 && <p className="hint">{t("givenNone")}</p>}
            {data.allowance < needed &&
              (toppingUp ? (
                <article className="card">
                  <TxConfirm
                    title={t("purposeApprove")}
                    summary={[{ label: t("reviewAllowance"), value: <Money fen={needed} /> }]}
                    write={contractWrite({ ...cityYuan, functionName: "approve", args: [familyCards.address, needed] })}
                    confirmLabel={t("confirmTopUpAllowance")}
                    revertReasons={revertReasons}
                    onCancel={() => setToppingUp(false)}
                    onDone={() => {
                      setToppingUp(false);
                      refresh();
                    }}
                  />
                </article>
              ) : (
                <div className="notice" role="note">
                  <p>{t("allowanceLow", { amount: formatFen(data.allowance) })}</p>
                  <button type="button" className="secondary" onClick={() => setToppingUp(true)}>
                    {t("topUpAllowance", { amount: formatFen(needed) })}
                  </button>
                </div>
              ))}
            {data.given.map((card) => (
              <GivenCardItem
                key={card.id.toString()}
                card={card}
                payments={data.payments.filter((p) => p.cardId === card.id)}
                allowance={data.allowance}
                neededWithout={neededAllowance(data.given, card.id)}
                revertReasons={revertReasons}
                onDone={refresh}
              />
            ))}
          </section>
          <GiveCardForm
            key={formKey}
            me={me}
            allowance={data.allowance}
            stillNeeded={needed}
            revertReasons={revertReasons}
            onDone={() => {
              setFormKey((k) => k + 1);
              refresh();
            }}
          />
        </>
      )}
    </div>
  );
}
