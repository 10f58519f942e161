// Whether receipts are arriving, in a shop owner's words: 实时接收中 with when the connection was
// last confirmed and when the last payment came in; or, when they cannot arrive, that they have
// stopped, since when, and that every payment made meanwhile will be added (and announced) when
// the connection is back; then, once it is, how many the gap held. Its own one-second clock turns
// "live" into "stopped" when the node stops answering, even if no error was raised (a socket can
// die silently, a sleeping laptop runs no timers).
import { useEffect, useState } from "react";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { type LiveState, liveStatusAt } from "./useReceipts";

/** `lastReceiptAt`: the newest receipt's time (seconds), undefined when there is none. */
export function LiveStatus({ live, lastReceiptAt }: { live: LiveState; lastReceiptAt?: number }) {
  const t = useT(merchantMessages);
  const fmt = useFormat();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const status = liveStatusAt(live, now);
  // A time today is said as a time; an older one with its date.
  const when = (ms: number) =>
    new Date(ms).toDateString() === new Date(now).toDateString()
      ? fmt.timeWithSeconds(ms)
      : fmt.shortDateTimeWithSeconds(ms);
  const lastReceipt =
    lastReceiptAt === undefined ? t("lastReceiptNone") : t("lastReceipt", { time: when(lastReceiptAt * 1000) });

  if (status === "connecting")
    return (
      <div className="live-status" data-state="connecting">
        <p className="live-mode" data-state="connecting">
          {t("liveConnecting")}
        </p>
      </div>
    );
  if (status === "lost") {
    // Never answered since the page opened: no "since" to tell.
    const since = live.checkedAt === undefined ? undefined : (live.lostSince ?? live.checkedAt);
    return (
      <div className="live-status notice" data-state="lost">
        <p className="live-mode" data-state="lost" data-mode={live.mode} role="alert">
          <strong>
            <span aria-hidden="true">⚠ </span>
            {t("liveLost")}
          </strong>
          {since === undefined ? t("liveLostNever") : t("liveLostSince", { time: when(since) })}
        </p>
        <p>{t("liveLostCatchUp")}</p>
        <p className="hint">{lastReceipt}</p>
      </div>
    );
  }
  const recovered = live.recovered;
  return (
    <div className="live-status" data-state="live">
      <p className="live-mode" data-state="live" data-mode={live.mode} data-block={live.lastBlock?.toString()}>
        <span className="live-dot" aria-hidden="true" />
        <strong>{t("liveOn")}</strong>{" "}
        {live.checkedAt !== undefined && t("liveChecked", { time: when(live.checkedAt) })}
      </p>
      <p className="hint">{lastReceipt}</p>
      {recovered && (
        <p className="live-recovered" data-count={recovered.count}>
          {t(recovered.count === 0 ? "recoveredNone" : "recovered", {
            time: when(recovered.at),
            since: when(recovered.since),
            count: recovered.count,
          })}
        </p>
      )}
    </div>
  );
}
