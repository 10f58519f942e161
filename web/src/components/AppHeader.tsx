// Top bar: the app's name, who is signed in, a language switch, the Lock button and 更多 (More):
// pages beyond the tab bar, the shop's and the desk's only for accounts that have a shop or a role
// (a resident was offered them and then told she holds none). The menu closes once she chose.
import { useEffect, useRef } from "react";
import { useConfig, useConnection } from "wagmi";
import { useDeskRoles } from "../features/desk/useDeskRoles";
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";
import { useMerchant } from "../names/useMerchant";
import { nav } from "../nav";
import { updateSettings, useSettings } from "../settings/settingsStore";
import { lockWallet } from "../wallet/walletActions";
import { AddressText } from "./AddressText";

/** `hideAccount`: this device was removed from the account it was opened with (DeviceRemoved). */
export function AppHeader({ hideAccount = false }: { hideAccount?: boolean }) {
  const t = useT(commonMessages);
  const config = useConfig();
  const { lang } = useSettings();
  const { address, isConnected } = useConnection();
  const { merchant } = useMerchant(address);
  const { roles } = useDeskRoles(address);
  const more = nav.filter(
    (n) =>
      n.group === "more" && (n.onlyFor === undefined || (n.onlyFor === "shop" ? merchant !== null : roles.size > 0)),
  );
  const menu = useRef<HTMLDetailsElement>(null);
  // Closed on every change of page, however it came (a menu item, a link, the back button).
  useEffect(() => {
    const close = () => {
      if (menu.current) menu.current.open = false;
    };
    window.addEventListener("hashchange", close);
    return () => window.removeEventListener("hashchange", close);
  }, []);
  return (
    <header className="app-header">
      {/* A button, not an anchor: "#main" would be read as a route by the hash router. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        {t("skipToContent")}
      </button>
      <a href="#/" className="app-name">
        {t("appName")}
      </a>
      <div className="header-tools">
        {isConnected && address && !hideAccount && (
          <span className="header-account">
            <AddressText address={address} showName={false} />
          </span>
        )}
        <button
          type="button"
          className="secondary small"
          lang={lang === "zh" ? "en" : "zh-CN"}
          onClick={() => updateSettings({ lang: lang === "zh" ? "en" : "zh" })}
        >
          {lang === "zh" ? "English" : "中文"}
        </button>
        {isConnected && (
          <button type="button" className="secondary small" onClick={() => void lockWallet(config)}>
            {t("lock")}
          </button>
        )}
        {more.length > 0 && (
          <details className="more-menu" ref={menu}>
            <summary>{t("moreNav")}</summary>
            <ul>
              {more.map((n) => (
                <li key={n.href}>
                  <a
                    href={n.href}
                    onClick={() => {
                      if (menu.current) menu.current.open = false;
                    }}
                  >
                    {n.label[lang]}
                  </a>
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </header>
  );
}
