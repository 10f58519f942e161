// The merchant view (#/merchant): the shop as the city registered it, live receipts with totals,
// a chart, spoken announcements and CSV export, payment requests, refunds and own promotions.
// Receipts need no wallet, only the shop's address: with the wallet locked (the idle lock, a
// sign-out) the page keeps receiving and announcing, in counter mode and outside it (see
// counterMode.ts); only what sends money waits for the wallet, which unlocks right here, on this
// page, so receipts never stop for it. What is needed to act on first (whether receipts are
// arriving, the tap that allows sound, the lock) is at the top.
import "./merchant.css";
import { categoryName } from "@core/enums";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { Money } from "../../components/Money";
import { merchantMessages } from "../../i18n/messages/merchant";
import { openApiMessages } from "../../i18n/messages/openApi";
import { useLang, useT } from "../../i18n/useT";
import { useMerchant } from "../../names/useMerchant";
import { lockWallet } from "../../wallet/walletActions";
import { announcementText, beep, speak } from "./announce";
import { loadCounterShop, loadWatchedShop, saveCounterShop, saveWatchedShop, soundAllowed } from "./counterMode";
import { Insights } from "./Insights";
import { LiveStatus } from "./LiveStatus";
import { PaymentRequests } from "./PaymentRequests";
import { ReceiptsChart } from "./ReceiptsChart";
import { ReceiptsTable } from "./ReceiptsTable";
import { RefundPanel } from "./RefundPanel";
import { type Receipt, receiptsCsv, receiptTotals } from "./receipts";
import { ShopPromotions } from "./ShopPromotions";
import { useReceipts } from "./useReceipts";

const WalletPage = lazy(() => import("../wallet/WalletPage"));

const PREFS_KEY = "hcy.merchant.announce.v1";

function loadPrefs(): { speak: boolean; beep: boolean } {
  try {
    return { speak: true, beep: true, ...JSON.parse(localStorage.getItem(PREFS_KEY) ?? "{}") };
  } catch {
    return { speak: true, beep: true };
  }
}

export default function MerchantPage() {
  const t = useT(merchantMessages);
  const tApi = useT(openApiMessages);
  const lang = useLang();
  const config = useConfig();
  const { address: connected, status: connection } = useConnection();
  // The wallet reconnecting (a reload with a passkey account): not "locked", not yet open either.
  const walletOpening = !connected && (connection === "connecting" || connection === "reconnecting");
  const [counterShop, setCounterShop] = useState(loadCounterShop);
  const [watchedShop, setWatchedShop] = useState(loadWatchedShop);
  const address = connected ?? counterShop ?? watchedShop;
  // Locked (counter mode or not): watch the shop; nothing that sends money is offered.
  const watchOnly = !connected && address !== undefined;
  const [unlocking, setUnlocking] = useState(false);
  const { merchant, status: merchantStatus } = useMerchant(address);
  const connectedShop = connected && merchant ? connected : undefined;
  // A registered shop's wallet opened the page: keep watching it after a lock, in this tab.
  useEffect(() => {
    if (!connectedShop) return;
    saveWatchedShop(connectedShop);
    setWatchedShop(connectedShop);
  }, [connectedShop]);
  useEffect(() => {
    if (connected) setUnlocking(false);
  }, [connected]);
  const [prefs, setPrefs] = useState(loadPrefs);
  const [refunding, setRefunding] = useState<Receipt>();
  const [lastLive, setLastLive] = useState<string>("");
  const [soundReady, setSoundReady] = useState(soundAllowed);

  const onLive = useCallback(
    (receipt: Receipt) => {
      const text = announcementText(merchantMessages[lang].announcement, receipt.amount);
      setLastLive(text);
      if (prefs.beep) beep();
      if (prefs.speak) speak(text, lang);
    },
    [lang, prefs],
  );
  const shop = merchant ? address : undefined;
  const { receipts, live, loading, error, source } = useReceipts(shop, onLive);
  const totals = useMemo(() => receiptTotals(receipts, Math.floor(Date.now() / 1000)), [receipts]);

  // Any tap on the page also unlocks sound (the browser's rule is "after a tap", not which one).
  useEffect(() => {
    if (soundReady) return;
    const check = () => setSoundReady(soundAllowed());
    window.addEventListener("pointerup", check, true);
    window.addEventListener("keyup", check, true);
    return () => {
      window.removeEventListener("pointerup", check, true);
      window.removeEventListener("keyup", check, true);
    };
  }, [soundReady]);

  const enableSound = () => {
    setSoundReady(true);
    if (prefs.beep) beep();
    if (prefs.speak) speak(t("soundOn"), lang);
  };

  const setCounter = (on: boolean) => {
    const next = on ? address : undefined;
    saveCounterShop(next);
    setCounterShop(next);
  };

  /** The one way receipts stop outside counter mode: said and chosen, never a side effect of a lock. */
  const stopWatching = () => {
    saveWatchedShop(undefined);
    setWatchedShop(undefined);
  };

  const setPref = (key: "speak" | "beep", value: boolean) => {
    const next = { ...prefs, [key]: value };
    setPrefs(next);
    localStorage.setItem(PREFS_KEY, JSON.stringify(next));
  };

  const exportCsv = () => {
    const csv = receiptsCsv(receipts, {
      time: t("time"),
      payer: t("payer"),
      amount: t("amount"),
      refunded: t("refunded"),
      net: t("net"),
      orderRef: t("orderRef"),
      voucher: t("voucher"),
      discount: t("discount"),
      transaction: t("transaction"),
    });
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `receipts-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  if (!address)
    return (
      <Suspense fallback={<p className="progress">…</p>}>
        <WalletPage />
      </Suspense>
    );
  // Not a verdict before the register answered (a registered shop must not flash "not a shop").
  if (merchantStatus !== "ready") return <p className="progress">{t("checkingShop")}</p>;
  if (!merchant) {
    return (
      <section className="card">
        <h1>{t("title")}</h1>
        <p role="alert">{t("notMerchant")}</p>
      </section>
    );
  }
  const lastReceiptAt = receipts.length > 0 ? receipts[0].timestamp : undefined;
  // For tests and styles: counter mode on or off, and whether the wallet is locked meanwhile.
  let counterState = counterShop ? "on" : "off";
  if (watchOnly) counterState = walletOpening ? "opening" : counterShop ? "locked" : "watching";
  return (
    <div className="merchant-page">
      <header className="card shop-header">
        <h1>{merchant.name}</h1>
        <p className="hint">{t("shopCategory", { category: categoryName(merchant.category, lang) })}</p>
        {!merchant.active && <p role="alert">{t("inactive")}</p>}
        {!watchOnly && (
          <p>
            <a href="#/merchant/api">{tApi("title")}</a>
          </p>
        )}
        {(prefs.speak || prefs.beep) && !soundReady && (
          <div className="notice sound-gate">
            <p>{t("soundBlocked")}</p>
            <button type="button" className="primary" onClick={enableSound}>
              {t("soundEnable")}
            </button>
          </div>
        )}
        <LiveStatus live={live} lastReceiptAt={lastReceiptAt} />
        <p className="visually-hidden" role="status" aria-live="polite">
          {lastLive}
        </p>
        <div className="counter-mode" data-counter={counterState}>
          {watchOnly && walletOpening ? (
            <p className="progress">{t("walletOpening")}</p>
          ) : watchOnly ? (
            <>
              <p className="notice">{counterShop ? t("counterLocked") : t("lockedIntro")}</p>
              <div className="button-row">
                <button
                  type="button"
                  className={unlocking ? "secondary" : "primary"}
                  aria-expanded={unlocking}
                  onClick={() => setUnlocking((u) => !u)}
                >
                  {t("counterUnlock")}
                </button>
                {counterShop ? (
                  <button type="button" className="secondary" onClick={() => setCounter(false)}>
                    {t("counterOff")}
                  </button>
                ) : (
                  <button type="button" className="secondary" onClick={stopWatching}>
                    {t("stopWatching")}
                  </button>
                )}
              </div>
            </>
          ) : counterShop ? (
            <>
              <p>{t("counterOnText")}</p>
              <div className="button-row">
                <button type="button" className="primary" onClick={() => void lockWallet(config)}>
                  {t("counterLockNow")}
                </button>
                <button type="button" className="secondary" onClick={() => setCounter(false)}>
                  {t("counterOff")}
                </button>
              </div>
            </>
          ) : (
            <>
              <p className="hint">{t("counterIntro")}</p>
              <button type="button" className="secondary" onClick={() => setCounter(true)}>
                {t("counterOn")}
              </button>
            </>
          )}
        </div>
      </header>

      {/* Unlocking here keeps this page, and its receipts, running meanwhile. */}
      {watchOnly && unlocking && (
        <Suspense fallback={<p className="progress">…</p>}>
          <WalletPage />
        </Suspense>
      )}

      <PaymentRequests shop={address} receipts={receipts} />

      <section className="card" aria-labelledby="receipts-title">
        <h2 id="receipts-title">{t("receiptsTitle")}</h2>
        <fieldset className="announce-options">
          <label>
            <input type="checkbox" checked={prefs.speak} onChange={(e) => setPref("speak", e.target.checked)} />{" "}
            {t("announce")}
          </label>
          <label>
            <input type="checkbox" checked={prefs.beep} onChange={(e) => setPref("beep", e.target.checked)} />{" "}
            {t("beep")}
          </label>
        </fieldset>
        <dl className="totals">
          <div>
            <dt>{t("today")}</dt>
            <dd>
              <Money fen={totals.today.fen} /> · {t("count", { count: totals.today.count })}
            </dd>
          </div>
          <div>
            <dt>{t("week")}</dt>
            <dd>
              <Money fen={totals.week.fen} /> · {t("count", { count: totals.week.count })}
            </dd>
          </div>
        </dl>
        <ReceiptsChart days={totals.lastSevenDays} />
        {refunding && !watchOnly && (
          <RefundPanel
            key={refunding.paymentId}
            shop={address}
            receipt={refunding}
            onClose={() => setRefunding(undefined)}
          />
        )}
        {source.state === "down" && (
          <p className="hint" data-testid="receipts-indexer-note">
            {t(source.reason === "invalid" || source.reason === "otherChain" ? "indexerInvalid" : "indexerDown")}
          </p>
        )}
        {source.state === "behind" && (
          <p className="hint" data-testid="receipts-indexer-note">
            {t("indexerBehind")}
          </p>
        )}
        {error && receipts.length === 0 && <p role="alert">{t("loadFailed")}</p>}
        {loading && receipts.length === 0 ? (
          <p className="progress">{t("loadingReceipts")}</p>
        ) : receipts.length === 0 ? (
          error ? null : (
            <p>{t("noReceipts")}</p>
          )
        ) : (
          <>
            <button type="button" className="secondary" onClick={exportCsv}>
              {t("exportCsv")}
            </button>
            <ReceiptsTable shop={address} receipts={receipts} onRefund={watchOnly ? undefined : setRefunding} />
          </>
        )}
      </section>

      <Insights shop={address} receipts={receipts} chainNow={live.lastBlockTime} />

      {!watchOnly && <ShopPromotions shop={address} receipts={receipts} />}
    </div>
  );
}
