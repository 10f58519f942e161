// The app shell: header, network banner, the current page (lazy), bottom navigation. Pages that
// need a wallet get the wallet screens instead until one is connected.
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { AppHeader } from "./components/AppHeader";
import { BottomNav } from "./components/BottomNav";
import { NetworkBanner } from "./components/NetworkBanner";
import { PageErrorBoundary } from "./components/PageErrorBoundary";
import { deployment } from "./contracts";
import { commonMessages } from "./i18n/messages/common";
import { useT } from "./i18n/useT";
import { matchPath, parseHash, useHash } from "./router";
import { routes } from "./routes";
import { useDeviceMembership } from "./wallet/passkey/useDeviceMembership";
import { useInactivityLock } from "./wallet/useInactivityLock";
import { restoreDemoAccount } from "./wallet/walletActions";

const WalletPage = lazy(() => import("./features/wallet/WalletPage"));
const DeviceRemoved = lazy(() => import("./features/wallet/DeviceRemoved").then((m) => ({ default: m.DeviceRemoved })));

function findRoute(path: string) {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function App() {
  const t = useT(commonMessages);
  const config = useConfig();
  const hash = useHash();
  const { path, query } = parseHash(hash);
  const { address, isConnected, status } = useConnection();
  const lockedByIdle = useInactivityLock();
  // A passkey device removed from its account (on another device) shows nothing of the account.
  const membership = useDeviceMembership();
  const [booting, setBooting] = useState(true);

  useEffect(() => {
    restoreDemoAccount(config)
      .catch(() => false)
      .finally(() => setBooting(false));
  }, [config]);

  // A tap on a link to the page already open (付款 in the tab bar after paying) starts it afresh,
  // as a phone's tab bar does: the page's key changes though the address does not.
  const [visit, setVisit] = useState(0);
  // The account a page was shown for: another account is a new page; a lock (no account for a
  // moment) is not, so the shop counter keeps receiving while the wallet is locked.
  const account = useRef<string | undefined>(undefined);
  if (address) account.current = address;
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
      if (link && link.getAttribute("href") === window.location.hash) setVisit((v) => v + 1);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every route change on purpose.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [path]);

  const found = findRoute(path);
  const waiting = booting || status === "reconnecting" || status === "connecting";
  let content: React.ReactNode;
  // Without the contracts on this chain no page can work: the banner above says why.
  if (!deployment) content = null;
  else if (membership === "removed") content = <DeviceRemoved />;
  else if (membership === "checking") content = <p className="progress">{t("loading")}</p>;
  else if (!found)
    content = (
      <div className="card">
        <p>{t("pageNotFound")}</p>
        <a href="#/">{t("backHome")}</a>
      </div>
    );
  else if (found.route.wallet === "required" && !isConnected)
    content = waiting ? <p className="progress">{t("loading")}</p> : <WalletPage lockedByIdle={lockedByIdle} />;
  else {
    const Page = found.route.page;
    // Keyed by what it shows: another order, packet or account (or 付款 tapped again) is a new
    // page, so nothing of the last one (a result, a choice, a verdict) survives onto the next.
    content = <Page key={`${account.current ?? "none"}|${hash}|${visit}`} params={found.params} query={query} />;
  }

  return (
    <div className="app">
      <AppHeader hideAccount={membership === "removed"} />
      <NetworkBanner />
      <main id="main" tabIndex={-1}>
        <PageErrorBoundary resetKey={path}>
          <Suspense fallback={<p className="progress">{t("loading")}</p>}>{content}</Suspense>
        </PageErrorBoundary>
      </main>
      {isConnected && membership !== "removed" && <BottomNav path={path} />}
    </div>
  );
}
