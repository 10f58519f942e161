// My sent red packets with their state (open / all claimed / expired / returned), who got what,
// the link again (when this device made its key), and the refund once a packet has expired.

import { PACKET_AUDIENCE } from "@core/enums";
import { formatFen } from "@core/money";
import { useState } from "react";
import { type Address, parseEventLogs } from "viem";
import { Money } from "../../components/Money";
import { redPacket } from "../../contracts";
import { RED_PACKET_ERRORS, redPacketMessages } from "../../i18n/messages/redpackets";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { ClaimsList } from "./ClaimsList";
import { canRefund, packetState } from "./claims";
import { claimKeyFor, friendListFor } from "./redPacketContract";
import { ShareLink } from "./SharePacket";
import { type PacketDetails, useSentPackets } from "./usePackets";

export function SentPackets({ sender }: { sender: Address | undefined }) {
  const t = useT(redPacketMessages);
  const packets = useSentPackets(sender);
  return (
    <section className="card stack" aria-labelledby="sent-packets-title">
      <h2 id="sent-packets-title">{t("mineTitle")}</h2>
      {packets.isLoading && <p className="progress">{t("mineLoading")}</p>}
      {packets.isError && !packets.data && <p className="error">{t("readFailed")}</p>}
      {packets.data?.length === 0 && <p>{t("mineEmpty")}</p>}
      {packets.data && packets.data.length > 0 && (
        <ul className="packet-list">
          {packets.data.map((p) => (
            <SentPacket key={p.id.toString()} packet={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SentPacket({ packet }: { packet: PacketDetails }) {
  const t = useT(redPacketMessages);
  const fmt = useFormat();
  const [showLink, setShowLink] = useState(false);
  // What the refund gives back: what was left when she asked, then what the packet's own
  // PacketRefunded event says came back (the packet's remaining is 0 once it is refunded).
  const [refunding, setRefunding] = useState<bigint | null>(null);
  const { view } = packet;
  const state = packetState(view, packet.now);
  const stateLabel = {
    open: t("stateOpen"),
    finished: t("stateFinished"),
    expired: t("stateExpired"),
    refunded: t("stateRefunded"),
  }[state];
  const key = view.audience === PACKET_AUDIENCE.link ? claimKeyFor(view.audienceKey) : undefined;
  const friends = view.audience === PACKET_AUDIENCE.friends ? friendListFor(view.audienceKey) : undefined;
  const linkAvailable =
    state === "open" && (view.audience === PACKET_AUDIENCE.friend || key !== undefined || friends !== undefined);
  return (
    <li className="packet-item" data-testid={`sent-packet-${packet.id}`}>
      <article className="stack">
        <h3>
          <span aria-hidden="true">🧧 </span>
          {packet.greeting || t("defaultGreeting")} · #{packet.id.toString()}{" "}
          <span className={`tag packet-state-${state}`}>{stateLabel}</span>
        </h3>
        <p>
          <Money fen={view.total} /> ·{" "}
          {t("claimedOf", { claimed: view.claimed.toString(), shares: view.shares.toString() })}
          {view.remaining > 0n && !view.refunded && ` · ${t("remaining", { amount: formatFen(view.remaining) })}`}
        </p>
        <p className="hint">{t("expires", { time: fmt.chainTime(view.expiry) })}</p>
        <ClaimsList claims={packet.claims} random={view.mode === 1} />
        {linkAvailable && (
          <button
            type="button"
            className="secondary small"
            aria-expanded={showLink}
            onClick={() => setShowLink((s) => !s)}
          >
            {showLink ? t("hideLink") : t("showLink")}
          </button>
        )}
        {showLink && linkAvailable && <ShareLink packetId={packet.id} claimKey={key} friends={friends} />}
        {canRefund(view, packet.now) && redPacket && refunding === null && (
          <button type="button" className="primary" onClick={() => setRefunding(view.remaining)}>
            {t("refund")}
          </button>
        )}
        {refunding !== null && redPacket && (
          <TxConfirm
            title={t("refundTitle")}
            summary={[
              { label: t("claimSummaryPacket"), value: `#${packet.id} · ${packet.greeting}` },
              { label: t("refundAmount"), value: <Money fen={refunding} /> },
            ]}
            write={contractWrite({
              address: redPacket.address,
              abi: redPacket.abi,
              functionName: "refundExpired",
              args: [packet.id],
            })}
            confirmLabel={t("refund")}
            revertReasons={Object.fromEntries(RED_PACKET_ERRORS.map((name) => [name, t(name)]))}
            onConfirmed={(receipt) => {
              const [refunded] = parseEventLogs({
                abi: redPacket?.abi ?? [],
                eventName: "PacketRefunded",
                logs: receipt.logs,
              });
              const amount = (refunded?.args as { amount?: bigint } | undefined)?.amount;
              if (amount !== undefined) setRefunding(amount);
            }}
            onCancel={() => setRefunding(null)}
            onDone={() => setRefunding(null)}
          />
        )}
      </article>
    </li>
  );
}
