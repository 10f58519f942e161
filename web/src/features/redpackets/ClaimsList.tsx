// Who got what from a packet, in claiming order, and who was luckiest (拼手气 only). The luckiest
// is marked in words, not only by colour or an icon.
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
              key={c.claimer}
              claimer={c.claimer}
              amount={c.amount}
              luckiest={summary.luckiest?.claimer === c.claimer}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function ClaimRow({ claimer, amount, luckiest }: { claimer: Address; amount: bigint; luckiest: boolean }) {
  const t = useT(redPacketMessages);
  return (
    <li data-luckiest={luckiest || undefined}>
      <AddressText address={claimer} /> <Money fen={amount} />
      {luckiest && (
        <strong className="tag luckiest">
          <span aria-hidden="true">👑 </span>
          {t("luckiest")}
        </strong>
      )}
    </li>
  );
}
