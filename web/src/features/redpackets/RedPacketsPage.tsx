// Red packets (红包): send one (1:1 or a group, equal or lucky draw), share it by link and QR
// code, and follow the ones I sent, with the refund once they expire.
import { useQueryClient } from "@tanstack/react-query";
import { useConnection } from "wagmi";
import { redPacket } from "../../contracts";
import { redPacketMessages } from "../../i18n/messages/redpackets";
import { useT } from "../../i18n/useT";
import { CreatePacket } from "./CreatePacket";
import { SentPackets } from "./SentPackets";
import "./redpackets.css";

export default function RedPacketsPage() {
  const t = useT(redPacketMessages);
  const { address } = useConnection();
  const queryClient = useQueryClient();
  return (
    <div className="stack">
      <h1>
        <span aria-hidden="true">🧧 </span>
        {t("title")}
      </h1>
      {redPacket ? (
        <>
          <CreatePacket onCreated={() => void queryClient.invalidateQueries({ queryKey: ["sentPackets"] })} />
          <SentPackets sender={address} />
        </>
      ) : (
        <p className="error">{t("readFailed")}</p>
      )}
    </div>
  );
}
