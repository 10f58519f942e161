// The receipts' real state: live (with the last block seen and when the node last answered),
// connecting, or lost (then a warning that receipts made meanwhile are added when it comes back).
// Its own one-second clock turns "live" into "lost" when the node stops answering, even if no
// error was raised (a socket can die silently).
import { useEffect, useState } from "react";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { type LiveState, liveStatusAt } from "./useReceipts";

export function LiveStatus({ live }: { live: LiveState }) {
  const t = useT(merchantMessages);
  const fmt = useFormat();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const status = liveStatusAt(live, now);
  const time = (ms: number | undefined) => (ms === undefined ? "—" : fmt.timeWithSeconds(ms));
  const facts = { block: live.lastBlock?.toString() ?? "—", time: time(live.checkedAt) };

  if (status === "connecting")
    return (
      <p className="live-mode" data-state="connecting">
        {t("liveConnecting")}
      </p>
    );
  if (status === "lost")
    return (
      <p className="live-mode notice" data-state="lost" data-mode={live.mode} role="alert">
        <span aria-hidden="true">⚠ </span>
        {t("liveLost", facts)}
      </p>
    );
  return (
    <p className="live-mode" data-state="live" data-mode={live.mode} data-block={facts.block}>
      <span className="live-dot" aria-hidden="true" />
      {t(live.mode === "websocket" ? "liveWebsocket" : "livePolling", facts)}
    </p>
  );
}
