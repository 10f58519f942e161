// Who got what from a packet, in claiming order, and who was luckiest (拼手气 only, once every
// share is drawn). A share still being drawn says so instead of an amount. The luckiest is marked
// in words, not only by colour or an icon.
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { redPacketMessages } from "../../i18n/messages/redpackets";
import { useT } from "../../i18n/useT";
import { type PacketClaim, summariseClaims } from "./claims";

export function ClaimsList({
  claims,
  random,
  title,
}: {
  claims: readonly PacketClaim[];
  random: boolean;
  title?: boolean;
}) {
  const t = useT(redPacketMessages);
  const summary = summariseClaims(claims, random);
  return (
    <div>
      {title && <h3>{t("gotTitle")}</h3>}
      {summary.claims.length === 0 ? (
        <p className="hint">{t("noClaims")}</p>
      ) : (
        <ol className="claims-list" data-testid="claims-list">
          {summary.claims.map((c) => (
            <ClaimRow
              key={c.index}
              claimer={c.claimer}
              amount={c.amount}
              pending={c.pending === true}
              late={c.late === true}
              luckiest={summary.luckiest?.index === c.index}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function ClaimRow({
  claimer,
  amount,
  pending,
  late,
  luckiest,
}: {
  claimer: Address;
  amount: bigint;
  pending: boolean;
  late: boolean;
  luckiest: boolean;
}) {
  const t = useT(redPacketMessages);
  return (
    <li data-luckiest={luckiest || undefined} data-pending={pending || undefined}>
      <AddressText address={claimer} />{" "}
      {pending ? <span className="hint">{t("shareDrawing")}</span> : <Money fen={amount} />}
      {late && <span className="hint"> {t("shareLate")}</span>}
      {luckiest && (
        <strong className="tag luckiest">
          <span aria-hidden="true">👑 </span>
          {t("luckiest")}
        </strong>
      )}
    </li>
  );
}
