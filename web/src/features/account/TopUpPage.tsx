// Top-up and cash-out (#/topup): ask the bank to top up from a card (the issuing desk then issues),
// or cash out (burn with `redeem(amount, bankRef)`, then the bank pays the card), and follow my
// requests as they move. Needs the city service sign-in; writes go through TxConfirm.
import "./account.css";
import type { CashOut } from "@core/api";
import { useState } from "react";
import type { Address } from "viem";
import { Money } from "../../components/Money";
import { useCityBalance } from "../../hooks/useCityBalance";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { CitySignIn } from "../settings/CitySignIn";
import { CashOutConfirm } from "./CashOutConfirm";
import { CashOutForm } from "./CashOutForm";
import { RequestLists } from "./RequestLists";
import { TopUpForm } from "./TopUpForm";

export default function TopUpPage() {
  const t = useT(accountMessages);
  const { address, signedIn } = useCitySession();
  return (
    <div>
      <h1>{t("topUpTitle")}</h1>
      {address && signedIn ? <SignedIn owner={address} /> : <CitySignIn auto={t("signInForTopUp")} />}
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
      <TopUpForm owner={owner} />
      <CashOutForm
        owner={owner}
        balanceFen={balance.fen}
        onRequested={(request, cardLast4) => setConfirming({ request, cardLast4 })}
      />
      <RequestLists owner={owner} onContinueCashOut={(request, cardLast4) => setConfirming({ request, cardLast4 })} />
    </>
  );
}
