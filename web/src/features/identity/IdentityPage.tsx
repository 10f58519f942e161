// 实名认证 (#/identity): her level and limits; when unverified (or phone-verified only), the form
// that binds her bank card; once verified, 我的信息 (what is held, export, close). Needs the city
// service sign-in, which the page starts by itself. Keyed by the account: nothing of one account's
// identity survives onto another's.
import "../account/account.css";
import "./identity.css";
import { CONSENT_TEXT, CONSENT_VERSION } from "@core/identity";
import { useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import type { PageProps } from "../../routes";
import { useCitySession } from "../../service/useCitySession";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { CitySignIn } from "../settings/CitySignIn";
import { BindCardForm } from "./BindCardForm";
import { LevelCard } from "./LevelCard";
import { MyInfo } from "./MyInfo";
import { PhoneForm } from "./PhoneForm";
import { useIdentity, verifiedView } from "./useIdentity";

export default function IdentityPage({ query }: PageProps) {
  const t = useT(identityMessages);
  const { address, signedIn } = useCitySession();
  // Top-up and cash-out share one page (#/topup): either way, she is taken back there.
  const fromTopUp = query.get("from") === "topup" || query.get("from") === "cashout";
  return (
    <div>
      <h1>{t("title")}</h1>
      {address && signedIn ? (
        <SignedIn key={address} owner={address} fromTopUp={fromTopUp} />
      ) : (
        <>
          <p className="hint">{t("why")}</p>
          <CitySignIn auto={t("signInFor")} />
        </>
      )}
    </div>
  );
}

function SignedIn({ owner, fromTopUp }: { owner: Address; fromTopUp: boolean }) {
  const t = useT(identityMessages);
  const describe = useServiceErrorText();
  const identity = useIdentity(owner, true);
  const [justBound, setJustBound] = useState(false);
  const [justClosed, setJustClosed] = useState(false);
  if (identity.isError) {
    return (
      <p className="error card" role="alert">
        {t("loadFailed", { reason: describe(identity.error) })}
      </p>
    );
  }
  if (identity.data === undefined) return <p className="progress">…</p>;
  const answer = identity.data;
  const view = verifiedView(answer);
  // The consent to give comes with an unverified answer; a phone-verified resident binding a card
  // agrees to the same current wording.
  const consent =
    "consentToGive" in answer ? answer.consentToGive : { version: CONSENT_VERSION, text: { ...CONSENT_TEXT } };
  return (
    <>
      {justBound && view?.level === "bank" && <BoundNotice fromTopUp={fromTopUp} />}
      {justClosed && answer.level === "none" && (
        <p className="notice" role="status" data-testid="identity-closed">
          {t("closed")}
        </p>
      )}
      {answer.level === "none" && <p className="hint">{t("why")}</p>}
      {answer.level !== "bank" && (
        <BindCardForm
          owner={owner}
          consent={consent}
          upgrade={answer.level === "phone"}
          onBound={() => {
            setJustBound(true);
            setJustClosed(false);
          }}
        />
      )}
      {answer.level === "none" && <PhoneForm owner={owner} />}
      <LevelCard answer={answer} />
      {view && (
        <MyInfo
          owner={owner}
          view={view}
          onClosed={() => {
            setJustClosed(true);
            setJustBound(false);
          }}
        />
      )}
    </>
  );
}

/** Verified just now: said at the top of the page, scrolled to (the form she sent was further down). */
function BoundNotice({ fromTopUp }: { fromTopUp: boolean }) {
  const t = useT(identityMessages);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: "start" });
  }, []);
  return (
    <div ref={box} className="notice stack" role="status" data-testid="identity-bound">
      <p className="success">{t("bound")}</p>
      {fromTopUp && (
        <a className="button primary" href="#/topup">
          {t("backToTopUp")}
        </a>
      )}
    </div>
  );
}
