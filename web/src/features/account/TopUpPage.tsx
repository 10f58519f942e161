// Top-up and cash-out (#/topup): top up from her bound card with the bank's one-time code (the
// default once she is bank-verified) or by bank transfer (the issuing desk then issues), or cash
// out (burn with `redeem(amount, bankRef)`, then the bank pays the card), and follow my requests
// as they move. A resident nobody verified is told to do 实名认证 first and taken there. Needs the
// city service sign-in; writes go through TxConfirm.
import "./account.css";
import type { CashOut } from "@core/api";
import { useState } from "react";
import type { Address } from "viem";
import { Money } from "../../components/Money";
import { useCityBalance } from "../../hooks/useCityBalance";
import { accountMessages } from "../../i18n/messages/account";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { useIdentity, verifiedView } from "../identity/useIdentity";
import { CitySignIn } from "../settings/CitySignIn";
import { CashOutConfirm } from "./CashOutConfirm";
import { CashOutForm } from "./CashOutForm";
import { RequestLists } from "./RequestLists";
import { TopUpByCard } from "./TopUpByCard";
import { TopUpForm } from "./TopUpForm";

export default function TopUpPage() {
  const t = useT(accountMessages);
  const { address, signedIn } = useCitySession();
  return (
    <div>
      <h1>{t("topUpTitle")}</h1>
      {address && signedIn ? <SignedIn key={address} owner={address} /> : <CitySignIn auto={t("signInForTopUp")} />}
    </div>
  );
}

function SignedIn({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const balance = useCityBalance(owner);
  const [confirming, setConfirming] = useState<{ request: CashOut; cardLast4: string | undefined } | null>(null);

  if (confirming) {
    return (
      <CashOutConfirm
        owner={owner}
        request={confirming.request}
        cardLast4={confirming.cardLast4}
        onClose={() => setConfirming(null)}
      />
    );
  }
  return (
    <>
      <p className="card">
        {t("balanceNow")}{" "}
        <span data-testid="topup-balance">{balance.fen !== undefined ? <Money fen={balance.fen} /> : "…"}</span>
      </p>
      <TopUpWays owner={owner} />
      <CashOutForm
        owner={owner}
        balanceFen={balance.fen}
        onRequested={(request, cardLast4) => setConfirming({ request, cardLast4 })}
      />
      <RequestLists owner={owner} onContinueCashOut={(request, cardLast4) => setConfirming({ request, cardLast4 })} />
    </>
  );
}

/**
 * How she can top up, by her verification level: from her bound card first (bank), by bank transfer
 * within the phone level's limits, or not before 实名认证 (none), with the way there.
 */
function TopUpWays({ owner }: { owner: Address }) {
  const ti = useT(identityMessages);
  const describe = useServiceErrorText();
  const identity = useIdentity(owner, true);
  if (identity.isError) {
    return (
      <p className="error card" role="alert">
        {ti("loadFailed", { reason: describe(identity.error) })}
      </p>
    );
  }
  if (identity.data === undefined) return <p className="progress card">…</p>;
  const view = verifiedView(identity.data);
  if (view?.level === "bank") {
    return (
      <>
        <TopUpByCard owner={owner} view={view} />
        <TopUpForm owner={owner} alternative />
      </>
    );
  }
  if (view?.level === "phone") {
    return (
      <>
        <p className="notice card" data-testid="topup-card-needs-bank">
          {ti("phoneLevelCardNeeds")} <a href="#/identity?from=topup">{ti("goVerify")}</a>
        </p>
        <TopUpForm owner={owner} />
      </>
    );
  }
  // Nobody verified her: the form says so instead of asking for an amount (MustVerify).
  return <TopUpForm owner={owner} />;
}
