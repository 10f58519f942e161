// The review of a red packet before it is sent: what kind, to whom, how much, how many shares,
// the greeting and expiry, and how it is paid for; then the one send through <TxConfirm>.
import { PACKET_AUDIENCE } from "@core/enums";
import { formatFen } from "@core/money";
import type { TransactionReceipt } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { RED_PACKET_ERRORS, redPacketMessages } from "../../i18n/messages/redpackets";
import { txMessages } from "../../i18n/messages/tx";
import { useT } from "../../i18n/useT";
import { TxConfirm } from "../../tx/TxConfirm";
import { type PreparedPacket, packetWrites } from "./packetWrites";

export function PacketReview({
  prepared,
  onConfirmed,
  onCancel,
}: {
  prepared: PreparedPacket;
  onConfirmed: (receipt: TransactionReceipt) => void;
  onCancel: () => void;
}) {
  const t = useT(redPacketMessages);
  const tx = useT(txMessages);
  const { plan } = prepared;
  // Counted from the moment the packet is sent (the chain's clock), so said as "N hours after",
  // not as a time of day the phone would guess.
  const seconds = Number(plan.duration);
  const expiry =
    seconds === 3600
      ? t("expiryOneHour")
      : seconds < 3600
        ? t("expiryMinutes", { minutes: Math.max(1, Math.round(seconds / 60)) })
        : t("expiryHours", { hours: Number((seconds / 3600).toFixed(2)) });
  const revertReasons = Object.fromEntries(RED_PACKET_ERRORS.map((name) => [name, t(name)]));
  return (
    <TxConfirm
      payment
      title={t("createTitle")}
      summary={[
        { label: t("summaryKind"), value: plan.mode === "random" ? t("kindRandom") : t("kindEqual") },
        ...(prepared.friend ? [{ label: tx("to"), value: <AddressText address={prepared.friend} /> }] : []),
        ...(prepared.friends
          ? [
              {
                label: t("summaryFriends"),
                value: (
                  <span className="friend-list">
                    {prepared.friends.map((f) => (
                      <AddressText key={f} address={f} />
                    ))}
                  </span>
                ),
              },
            ]
          : []),
        ...(prepared.audience === PACKET_AUDIENCE.residents
          ? [{ label: t("summaryResidents"), value: t("summaryResidentsValue") }]
          : []),
        { label: tx("amount"), value: <Money fen={plan.amount} /> },
        { label: t("summaryShares"), value: plan.shares.toString() },
        { label: t("summaryGreeting"), value: plan.greeting },
        { label: t("summaryExpiry"), value: expiry },
        { label: t("summaryFunding"), value: t("fundingPermit", { amount: formatFen(plan.amount) }) },
      ]}
      write={packetWrites(prepared)}
      confirmLabel={t("send")}
      revertReasons={revertReasons}
      onConfirmed={onConfirmed}
      onCancel={onCancel}
    />
  );
}
