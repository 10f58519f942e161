// Settings: language, large-text mode, contacts, lock, the city service sign-in and, once signed
// in, the profile kept there.
import { useConfig, useConnection } from "wagmi";
import { useContacts } from "../../contacts/contactsStore";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { recoveryMessages } from "../../i18n/messages/recovery";
import { settingsMessages } from "../../i18n/messages/settings";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import { lockWallet } from "../../wallet/walletActions";
import { IdentityLink } from "../identity/IdentityLink";
import { CitySignIn } from "./CitySignIn";
import { ContactsEditor } from "./ContactsEditor";
import { DevicesCard } from "./DevicesCard";
import { DisplayChoices } from "./DisplayChoices";
import { ProfileEditor } from "./ProfileEditor";
import { ReaskLimit } from "./ReaskLimit";

export default function SettingsPage() {
  const t = useT(settingsMessages);
  const tf = useT(familyMessages);
  const tr = useT(recoveryMessages);
  const config = useConfig();
  const { address, isConnected, connector } = useConnection();
  const { signedIn } = useCitySession();
  // Contacts on this device are kept safe on the service too: sign in by itself to sync them.
  const hasContacts = useContacts(address).length > 0;
  return (
    <div>
      <h1>{t("title")}</h1>
      <DisplayChoices />

      {isConnected && address ? (
        <>
          <ContactsEditor owner={address} />
          <section className="card" aria-labelledby="security-title">
            <h2 id="security-title">{t("security")}</h2>
            <p className="hint">{t("lockHint")}</p>
            <button type="button" className="secondary" onClick={() => void lockWallet(config)}>
              {t("lockNow")}
            </button>
            <ReaskLimit />
          </section>
          <section className="card" aria-labelledby="family-title">
            <h2 id="family-title">{tf("title")}</h2>
            <p className="hint">{tf("settingsHint")}</p>
            <a className="button secondary" href="#/family">
              {tf("settingsLink")}
            </a>
          </section>
          <section className="card" aria-labelledby="recovery-title">
            <h2 id="recovery-title">{tr("title")}</h2>
            <p className="hint">{tr("settingsHint")}</p>
            <a className="button secondary" href="#/recovery">
              {tr("settingsLink")}
            </a>
          </section>
          {connector?.id === PASSKEY_WALLET_ID && <DevicesCard account={address} />}
          <CitySignIn auto={hasContacts ? t("signInForContacts") : undefined} />
          <IdentityLink />
          {signedIn && <ProfileEditor owner={address} />}
        </>
      ) : (
        <section className="card">
          <p>{t("notConnected")}</p>
          <a href="#/wallet">{t("connectWallet")}</a>
        </section>
      )}
    </div>
  );
}
