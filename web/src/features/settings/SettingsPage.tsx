// Settings: language, large-text mode, contacts, lock, the city service sign-in and, once signed
// in, the profile kept there.

import type { Lang } from "@core/i18n";
import { useConfig, useConnection } from "wagmi";
import { settingsMessages } from "../../i18n/messages/settings";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { updateSettings, useSettings } from "../../settings/settingsStore";
import { lockWallet } from "../../wallet/walletActions";
import { CitySignIn } from "./CitySignIn";
import { ContactsEditor } from "./ContactsEditor";
import { ProfileEditor } from "./ProfileEditor";

const LANGUAGES: { value: Lang; label: string; htmlLang: string }[] = [
  { value: "zh", label: "中文", htmlLang: "zh-CN" },
  { value: "en", label: "English", htmlLang: "en" },
];

export default function SettingsPage() {
  const t = useT(settingsMessages);
  const settings = useSettings();
  const config = useConfig();
  const { address, isConnected } = useConnection();
  const { signedIn } = useCitySession();
  return (
    <div>
      <h1>{t("title")}</h1>
      <section className="card stack" aria-labelledby="display-title">
        <h2 id="display-title">{t("display")}</h2>
        <fieldset>
          <legend>{t("language")}</legend>
          {LANGUAGES.map((l) => (
            <label key={l.value} className="checkbox" lang={l.htmlLang}>
              <input
                type="radio"
                name="language"
                value={l.value}
                checked={settings.lang === l.value}
                onChange={() => updateSettings({ lang: l.value })}
              />
              {l.label}
            </label>
          ))}
        </fieldset>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.largeText}
            onChange={(e) => updateSettings({ largeText: e.target.checked })}
          />
          {t("largeText")}
        </label>
      </section>

      {isConnected && address ? (
        <>
          <ContactsEditor owner={address} />
          <section className="card" aria-labelledby="security-title">
            <h2 id="security-title">{t("security")}</h2>
            <p className="hint">{t("lockHint")}</p>
            <button type="button" className="secondary" onClick={() => void lockWallet(config)}>
              {t("lockNow")}
            </button>
          </section>
          <CitySignIn />
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
