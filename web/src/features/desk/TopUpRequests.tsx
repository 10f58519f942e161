// The city service's pending top-up requests (GET /desk/topups, issuer's SIWE session). The
// service only tracks requests; approving one means issuing from the issuer's own wallet.

import { displayOrderRef } from "@core/orderRef";
import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { useSignMessage } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { serviceUrl } from "../../env";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { signIn } from "../../service/cityService";

type TopUp = { id: string; owner: Address; amountFen: string; cardLast4: string; bankRef: Hex; state: string };

class NotSignedIn extends Error {}

async function pendingTopUps(): Promise<TopUp[]> {
  const response = await fetch(`${serviceUrl}/desk/topups`, { credentials: "include" });
  if (response.status === 401) throw new NotSignedIn();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return ((await response.json()) as { topUps: TopUp[] }).topUps;
}

export function TopUpRequests({
  me,
  onApprove,
}: {
  me: Address;
  onApprove: (owner: Address, fen: bigint, ref: Hex) => void;
}) {
  const t = useT(deskMessages);
  const { signMessageAsync } = useSignMessage();
  const topUps = useQuery({
    queryKey: ["deskTopUps", me],
    queryFn: pendingTopUps,
    retry: false,
    refetchInterval: 5_000,
  });
  const signedOut = topUps.error instanceof NotSignedIn;
  return (
    <section aria-labelledby="topups-title">
      <h3 id="topups-title">{t("topUpsTitle")}</h3>
      {signedOut ? (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void signIn(me, cityChain.id, (message) => signMessageAsync({ message })).then(() => topUps.refetch())
          }
        >
          {t("topUpsSignIn")}
        </button>
      ) : topUps.isError ? (
        <p>{t("topUpsUnavailable", { message: topUps.error.message })}</p>
      ) : topUps.data?.length === 0 ? (
        <p>{t("topUpsNone")}</p>
      ) : (
        <ul>
          {topUps.data?.map((topUp) => (
            <li key={topUp.id}>
              <AddressText address={topUp.owner} /> · <Money fen={BigInt(topUp.amountFen)} /> ·{" "}
              {t("card", { last4: topUp.cardLast4 })} · {displayOrderRef(topUp.bankRef)}{" "}
              <button
                type="button"
                className="primary small"
                onClick={() => onApprove(topUp.owner, BigInt(topUp.amountFen), topUp.bankRef)}
              >
                {t("approve")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
