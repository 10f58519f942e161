// The page a red-packet link opens: the sender and greeting first (no wallet needed to look),
// then the claim. For a link packet the one-time key from the fragment signs the contract's claim
// digest for the connected address, in the browser: the signature binds the claimer, so a copy
// of the transaction in the mempool can pay nobody else. For a named-friends packet the link's list
// of friends rebuilds the Merkle tree: its root must be the packet's, and the connected address
// must be in it, or nothing is sent; the proof of its leaf goes with claimWithProof. A residents'
// packet also needs the city service's ticket (one share per verified resident). A random share
// is drawn from the hash of the claim's block, so right after claiming it says "being drawn", and
// the page draws it at once (useAutoDraw), for the claimer and for anyone else looking at the
// packet: a share drawn more than 256 blocks after its claim pays only 1 fen, and the page says so
// before the claim, while it waits, and to a claimer who comes back late. Afterwards: who got
// what, who was luckiest.

import { PACKET_AUDIENCE } from "@core/enums";
import { buildFriendsTree } from "@core/friendsTree";
import { formatFen } from "@core/money";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { type Address, type Hex, zeroHash } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { redPacket } from "../../contracts";
import { commonMessages } from "../../i18n/messages/common";
import { identityMessages } from "../../i18n/messages/identity";
import { RED_PACKET_ERRORS, redPacketMessages } from "../../i18n/messages/redpackets";
import { useT } from "../../i18n/useT";
import type { PageProps } from "../../routes";
import { getResidentTicket } from "../../service/cityService";
import { useResidentTicket } from "../../service/useResidentTicket";
import { TxConfirm } from "../../tx/TxConfirm";
import { CitySignIn } from "../settings/CitySignIn";
import { ClaimsList } from "./ClaimsList";
import { drawBlocksLeft, lateReturn, packetState } from "./claims";
import { audienceKeyOf, checkClaimLink, parseClaimPath } from "./link";
import { useAutoDraw } from "./useAutoDraw";
import { revertName, usePacket } from "./usePackets";
import "./redpackets.css";
import { useFormat } from "../../i18n/useFormat";
import { contractWrite } from "../../tx/contractWrite";

const WalletPage = lazy(() => import("../wallet/WalletPage"));

export default function ClaimPage({ params }: PageProps) {
  const t = useT(redPacketMessages);
  const parsed = useMemo(() => parseClaimPath(params["*"] ?? ""), [params]);
  const problem = parsed.ok ? checkClaimLink(parsed.link, cityChain.id, redPacket.address) : parsed.problem;
  const packetId = parsed.ok && !problem ? parsed.link.packetId : undefined;
  const packet = usePacket(packetId);

  let message: string | null = null;
  if (problem === "malformed") message = t("problemMalformed");
  else if (problem === "wrongChain" && parsed.ok)
    message = t("problemWrongChain", { linkChain: parsed.link.chainId, chain: cityChain.id });
  else if (problem === "wrongContract" && parsed.ok)
    message = t("problemWrongContract", { contract: parsed.link.contract });
  else if (packet.error && revertName(packet.error) === "RedPacketUnknownPacket")
    message = t("problemUnknown", { id: String(packetId) });

  return (
    <div className="stack redpacket-claim">
      <h1>
        <span aria-hidden="true">🧧 </span>
        {t("claimTitle")}
      </h1>
      {message ? (
        <p className="error card" role="alert" data-testid="claim-problem">
          {message}
        </p>
      ) : packet.data ? (
        <ClaimPanel
          details={packet.data}
          linkKey={parsed.ok ? parsed.link.key : undefined}
          linkFriends={parsed.ok ? parsed.link.friends : undefined}
        />
      ) : packet.isError ? (
        <p className="error card" role="alert">
          {t("readFailed")}
        </p>
      ) : (
        <p className="progress">{t("mineLoading")}</p>
      )}
    </div>
  );
}

function ClaimPanel({
  details,
  linkKey,
  linkFriends,
}: {
  details: NonNullable<ReturnType<typeof usePacket>["data"]>;
  linkKey?: Hex;
  linkFriends?: Address[];
}) {
  const t = useT(redPacketMessages);
  const ti = useT(identityMessages);
  const fmt = useFormat();
  const tc = useT(commonMessages);
  const { address: me, isConnected } = useConnection();
  const { view } = details;
  const state = packetState(view, details.now);
  const random = view.mode === 1;
  const mine = me ? details.claims.find((c) => c.claimer.toLowerCase() === me.toLowerCase()) : undefined;
  const drawing = details.claims.find((c) => c.pending);
  const autoDraw = useAutoDraw(details.id, drawing, details.head);
  const blocksLeft = drawing ? drawBlocksLeft(drawing, details.head) : 0n;
  const residents = view.audience === PACKET_AUDIENCE.residents;
  const linkGated = view.audience === PACKET_AUDIENCE.link || residents;
  const ticket = useResidentTicket(residents && !mine ? details.id : undefined, getResidentTicket);

  // Which claim this link allows, and whether the link's key is the packet's key.
  const keyAccount = useMemo(() => (linkKey ? privateKeyToAccount(linkKey) : undefined), [linkKey]);
  const wrongKey = linkGated && (!keyAccount || audienceKeyOf(keyAccount.address) !== view.audienceKey.toLowerCase());
  const notForMe =
    view.audience === PACKET_AUDIENCE.friend &&
    me !== undefined &&
    audienceKeyOf(me) !== view.audienceKey.toLowerCase();
  // A list that does not rebuild the packet's root was altered or cut: no proof from it can pass.
  const friendsTree = useMemo(
    () => (view.audience === PACKET_AUDIENCE.friends && linkFriends ? buildFriendsTree(linkFriends) : undefined),
    [view.audience, linkFriends],
  );
  const friendsDamaged =
    view.audience === PACKET_AUDIENCE.friends &&
    (!friendsTree || friendsTree.root.toLowerCase() !== view.audienceKey.toLowerCase());
  const proof = friendsTree && !friendsDamaged && me ? friendsTree.proofFor(me) : undefined;
  const notNamedFriend =
    view.audience === PACKET_AUDIENCE.friends && !friendsDamaged && me !== undefined && proof === undefined;
  const digest = useReadContract({
    address: redPacket.address,
    abi: redPacket.abi,
    functionName: "claimDigest",
    args: [details.id, me ?? "0x0000000000000000000000000000000000000000"],
    chainId: cityChain.id,
    query: { enabled: Boolean(me && linkGated) },
  });
  const signature = useSignedClaim(keyAccount, digest.data as Hex | undefined);
  // The same resident with a second account: her ticket's nullifier is already spent on this
  // packet. Asked before 拆红包 is offered, so she is told so instead of "你将收到 ¥2.00".
  const identityUsed = useReadContract({
    address: redPacket.address,
    abi: redPacket.abi,
    functionName: "nullifierUsed",
    args: [details.id, ticket.data?.nullifier ?? zeroHash],
    chainId: cityChain.id,
    query: { enabled: Boolean(residents && ticket.data) },
  });

  let blocker: string | null = null;
  if (mine) blocker = null;
  else if (state === "refunded") blocker = t("problemRefunded");
  else if (state === "expired") blocker = t("problemExpired");
  else if (state === "finished") blocker = t("problemFinished");
  else if (wrongKey) blocker = t("problemWrongKey");
  else if (notForMe) blocker = t("problemNotForYou");
  else if (friendsDamaged) blocker = t("problemFriendsDamaged");
  else if (notNamedFriend) blocker = t("problemNotNamedFriend");
  else if (residents && identityUsed.data === true) blocker = t("problemIdentityClaimed");

  const revertReasons = Object.fromEntries(RED_PACKET_ERRORS.map((name) => [name, t(name)]));
  const equalShare = view.shares > 0n ? view.total / view.shares : 0n;

  return (
    <>
      <section className="card stack packet-card" aria-labelledby="packet-greeting">
        <p id="packet-greeting" className="packet-greeting" data-testid="packet-greeting">
          {details.greeting || t("defaultGreeting")}
        </p>
        <p>
          {t("from")}: <AddressText address={view.sender} />
        </p>
        <p>
          {t("packetTotal")}: <Money fen={view.total} /> · {random ? t("kindRandom") : t("kindEqual")} ·{" "}
          {t("claimedOf", { claimed: view.claimed.toString(), shares: view.shares.toString() })}
        </p>
        <p className="hint">{t("expires", { time: fmt.chainTime(view.expiry) })}</p>
      </section>

      {random && !mine && !blocker && state === "open" && (
        <p className="hint" data-testid="draw-rule">
          {t("drawRule")}
        </p>
      )}
      {mine && !mine.pending && (
        <p className="success card" role="status" data-testid="claimed-mine">
          <span aria-hidden="true">✓ </span>
          {t("claimedMine", { amount: formatFen(mine.amount) })}
          {mine.late && <span data-testid="claimed-late"> {t("claimedMineLate")}</span>}
        </p>
      )}
      {mine?.pending && (
        <div className="notice card stack" role="status" data-testid="claimed-drawing">
          {blocksLeft > 0n ? (
            <>
              <p>{t("shareDrawingMine")}</p>
              <p>
                {autoDraw === "drawing" ? t("drawingAutomatically") : t("drawYourself")}
                {t("drawDeadline", { blocks: blocksLeft.toString() })}
              </p>
            </>
          ) : (
            <p data-testid="draw-late">{t("drawLateMine", { returned: formatFen(lateReturn(view)) })}</p>
          )}
        </div>
      )}
      {residents && !mine && !blocker && <p className="hint">{t("residentsOnly")}</p>}
      {residents && !mine && !blocker && isConnected && ticket.problem === "notSignedIn" && (
        // The sign-in right here, not a pointer to 设置.
        <div data-testid="resident-problem">
          <CitySignIn why={t("residentsSignIn")} />
        </div>
      )}
      {residents && !mine && !blocker && isConnected && ticket.problem && ticket.problem !== "notSignedIn" && (
        <p className="notice card" role="alert" data-testid="resident-problem">
          {ticket.problem === "notVerified" ? (
            <>
              {t("residentsNotVerified")} <a href="#/identity">{ti("goVerify")}</a>
            </>
          ) : (
            t("residentsTicketFailed", { reason: ticket.problem })
          )}
        </p>
      )}
      {blocker && (
        <p className="notice card" role="alert" data-testid="claim-problem">
          {blocker}
        </p>
      )}

      {!mine && !blocker && !isConnected && (
        <section className="card stack" aria-label={t("claimConnect")}>
          <p>{t("claimConnect")}</p>
          <Suspense fallback={<p className="progress">{tc("loading")}</p>}>
            <WalletPage />
          </Suspense>
        </section>
      )}

      {!mine &&
        !blocker &&
        isConnected &&
        redPacket &&
        (view.audience === PACKET_AUDIENCE.friend ||
          (view.audience === PACKET_AUDIENCE.friends && proof) ||
          (view.audience === PACKET_AUDIENCE.link && signature) ||
          (residents && signature && ticket.data && identityUsed.data === false)) && (
          <TxConfirm
            title={t("claimTitle")}
            summary={[
              { label: t("claimSummaryPacket"), value: `#${details.id} · ${details.greeting || t("defaultGreeting")}` },
              { label: t("from"), value: <AddressText address={view.sender} /> },
              { label: t("claimYouGet"), value: random ? t("claimRandomAmount") : <Money fen={equalShare} /> },
            ]}
            write={
              view.audience === PACKET_AUDIENCE.friend
                ? contractWrite({
                    address: redPacket.address,
                    abi: redPacket.abi,
                    functionName: "claim",
                    args: [details.id],
                  })
                : view.audience === PACKET_AUDIENCE.friends
                  ? contractWrite({
                      address: redPacket.address,
                      abi: redPacket.abi,
                      functionName: "claimWithProof",
                      args: [details.id, proof ?? []],
                    })
                  : residents && ticket.data
                    ? contractWrite({
                        address: redPacket.address,
                        abi: redPacket.abi,
                        functionName: "claimAsResident",
                        args: [
                          details.id,
                          signature as Hex,
                          ticket.data.nullifier,
                          BigInt(ticket.data.deadline),
                          ticket.data.signature,
                        ],
                      })
                    : contractWrite({
                        address: redPacket.address,
                        abi: redPacket.abi,
                        functionName: "claimWithSignature",
                        args: [details.id, signature as Hex],
                      })
            }
            confirmLabel={t("claimButton")}
            revertReasons={revertReasons}
          />
        )}

      {drawing && redPacket && isConnected && (autoDraw === "off" || autoDraw === "failed") && (
        <TxConfirm
          title={t("settleTitle")}
          summary={[
            { label: t("claimSummaryPacket"), value: `#${details.id}` },
            { label: t("settleTitle"), value: t("settleExplain") },
          ]}
          write={contractWrite({
            address: redPacket.address,
            abi: redPacket.abi,
            functionName: "settle",
            args: [details.id],
          })}
          confirmLabel={t("settleButton")}
          revertReasons={revertReasons}
        />
      )}

      <section className="card" aria-labelledby="claims-title">
        <h2 id="claims-title">{t("gotTitle")}</h2>
        <ClaimsList claims={details.claims} random={random} />
      </section>
    </>
  );
}

/** Signs the contract's claim digest with the link's one-time key, once per digest. */
function useSignedClaim(key: PrivateKeyAccount | undefined, digest: Hex | undefined): Hex | undefined {
  const [signed, setSigned] = useState<{ digest: Hex; signature: Hex } | undefined>();
  useEffect(() => {
    if (!key || !digest || signed?.digest === digest) return;
    let cancelled = false;
    void key.sign({ hash: digest }).then((signature) => {
      if (!cancelled) setSigned({ digest, signature });
    });
    return () => {
      cancelled = true;
    };
  }, [key, digest, signed?.digest]);
  return signed && signed.digest === digest ? signed.signature : undefined;
}
