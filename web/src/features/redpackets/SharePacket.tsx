// After sending: the claim link and its QR code, with copy and the phone's share sheet. The link
// is built from this page's own address, so it opens the same dApp for the friend.
import type { Address, Hex } from "viem";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { CopyButton } from "../../components/CopyButton";
import { QrCode } from "../../components/QrCode";
import { redPacket } from "../../contracts";
import { redPacketMessages } from "../../i18n/messages/redpackets";
import { useT } from "../../i18n/useT";
import { buildClaimLink } from "./link";

export function claimUrlFor(packetId: bigint, claimKey?: Hex, friends?: Address[]): string {
  return buildClaimLink(window.location.href, {
    chainId: cityChain.id,
    contract: redPacket.address as Address,
    packetId,
    key: claimKey,
    friends,
  });
}

export function ShareLink({ packetId, claimKey, friends }: { packetId: bigint; claimKey?: Hex; friends?: Address[] }) {
  const t = useT(redPacketMessages);
  const url = claimUrlFor(packetId, claimKey, friends);
  const canShare = typeof navigator !== "undefined" && typeof navigator.share === "function";
  return (
    <div className="stack">
      <QrCode text={url} alt={t("qrAlt")} loadingLabel={t("qrLoading")} />
      <label className="field">
        <span>{t("linkLabel")}</span>
        <input type="text" readOnly value={url} data-testid="claim-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="button-row">
        <CopyButton text={url} />
        {canShare && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void navigator.share({ title: t("title"), url }).catch(() => undefined)}
          >
            {t("share")}
          </button>
        )}
      </div>
      {claimKey && <p className="hint">{t("keyWarning")}</p>}
    </div>
  );
}

export function SharePacket({
  packetId,
  claimKey,
  friend,
  friends,
  onAnother,
}: {
  packetId: bigint;
  claimKey?: Hex;
  friend?: Address;
  friends?: Address[];
  onAnother: () => void;
}) {
  const t = useT(redPacketMessages);
  return (
    <section className="card stack" aria-labelledby="packet-sent-title">
      <h2 id="packet-sent-title">
        <span aria-hidden="true">🧧 </span>
        {t("sentTitle")}
      </h2>
      {friend ? (
        <>
          <p>
            <AddressText address={friend} />
          </p>
          <p>{t("shareFriend")}</p>
        </>
      ) : friends ? (
        <>
          <ul className="friend-list">
            {friends.map((f) => (
              <li key={f}>
                <AddressText address={f} />
              </li>
            ))}
          </ul>
          <p>{t("shareFriends")}</p>
        </>
      ) : (
        <p>{t("shareLink")}</p>
      )}
      <ShareLink packetId={packetId} claimKey={claimKey} friends={friends} />
      <div className="button-row">
        <button type="button" className="secondary" onClick={onAnother}>
          {t("newPacket")}
        </button>
      </div>
    </section>
  );
}
