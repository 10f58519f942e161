// The city service's top-up queue for the issuer (GET /desk/topups, the issuer's SIWE session): a
// page at a time, filtered by state and resident, sorted by time or amount, so a flood of small
// requests cannot hide a resident's. The service only tracks requests; approving one means
// issuing from the issuer's own wallet (IssuePanel), and a request being issued cannot be
// approved again.
import type { DeskSort, TopUp, TopUpState } from "@core/api";
import { displayOrderRef } from "@core/orderRef";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, type Hex, isAddress } from "viem";
import { useSignMessage } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { accountMessages } from "../../i18n/messages/account";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { CityServiceError, deskTopUps, signIn } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { QueuePages } from "./QueuePages";

const PAGE_SIZE = 20;
const STATES: ("open" | TopUpState)[] = [
  "open",
  "deposit_confirmed",
  "awaiting_deposit",
  "mismatch",
  "issued",
  "rejected",
  "declined",
  "expired",
];
const SORTS: DeskSort[] = ["oldest", "newest", "amount_desc", "amount_asc"];

export function TopUpRequests({
  me,
  pending,
  onApprove,
}: {
  me: Address;
  /** Bank references with an issue under way (checking the chain, in review, or sent). */
  pending: ReadonlySet<Hex>;
  onApprove: (topUp: TopUp) => void;
}) {
  const t = useT(deskMessages);
  const ta = useT(accountMessages);
  const describe = useServiceErrorText();
  const { signMessageAsync } = useSignMessage();
  const queryClient = useQueryClient();
  // One sign-in serves the whole desk: the queue and the problems both read again.
  const refreshDesk = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["deskTopUps"] }),
      queryClient.invalidateQueries({ queryKey: ["deskProblems"] }),
    ]);
  const [state, setState] = useState<"open" | TopUpState>("open");
  const [sort, setSort] = useState<DeskSort>("oldest");
  const [ownerInput, setOwnerInput] = useState("");
  const [offset, setOffset] = useState(0);
  const owner = isAddress(ownerInput.trim()) ? (ownerInput.trim() as Address) : undefined;
  const ownerInvalid = ownerInput.trim() !== "" && owner === undefined;
  const topUps = useQuery({
    queryKey: ["deskTopUps", me, state, sort, owner, offset],
    queryFn: () => deskTopUps({ state, sort, owner, offset, limit: PAGE_SIZE }),
    retry: false,
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  const signedOut = topUps.error instanceof CityServiceError && topUps.error.status === 401;
  const total = topUps.data?.total ?? 0;
  const rows = topUps.data?.topUps ?? [];
  const refilter = (apply: () => void) => {
    apply();
    setOffset(0);
  };

  return (
    <section aria-labelledby="topups-title" className="desk-queue">
      <h3 id="topups-title">{t("topUpsTitle")}</h3>
      {signedOut ? (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void signIn(me, cityChain.id, (message) => signMessageAsync({ message })).then(() => refreshDesk())
          }
        >
          {t("topUpsSignIn")}
        </button>
      ) : (
        <>
          <div className="queue-filters">
            <label htmlFor="queue-state">{t("queueState")}</label>
            <select
              id="queue-state"
              value={state}
              onChange={(e) => refilter(() => setState(e.target.value as "open" | TopUpState))}
            >
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s === "open" ? t("queueOpen") : ta(`topUp_${s}`)}
                </option>
              ))}
            </select>
            <label htmlFor="queue-sort">{t("queueSort")}</label>
            <select id="queue-sort" value={sort} onChange={(e) => refilter(() => setSort(e.target.value as DeskSort))}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sort_${s}`)}
                </option>
              ))}
            </select>
            <label htmlFor="queue-owner">{t("queueOwner")}</label>
            <input
              id="queue-owner"
              value={ownerInput}
              placeholder="0x…"
              spellCheck={false}
              aria-invalid={ownerInvalid}
              onChange={(e) => refilter(() => setOwnerInput(e.target.value))}
            />
            {ownerInvalid && <p className="error">{t("invalidAddress")}</p>}
          </div>
          {topUps.isError ? (
            <p className="error">{t("topUpsUnavailable", { message: describe(topUps.error) })}</p>
          ) : topUps.data && rows.length === 0 ? (
            <p>{t("topUpsNone")}</p>
          ) : (
            <ul data-testid="desk-topups">
              {rows.map((topUp) => {
                const busy = pending.has(topUp.bankRef);
                return (
                  <li key={topUp.id} data-state={topUp.state}>
                    <AddressText address={topUp.owner} /> · <Money fen={BigInt(topUp.amountFen)} /> ·{" "}
                    {t("card", { last4: topUp.cardLast4 })} · {displayOrderRef(topUp.bankRef)}
                    {state !== "open" && <> · {ta(`topUp_${topUp.state}`)}</>}{" "}
                    {topUp.state === "deposit_confirmed" && (
                      <button
                        type="button"
                        className="primary small"
                        disabled={busy}
                        aria-busy={busy}
                        onClick={() => onApprove(topUp)}
                      >
                        {busy ? t("approving") : t("approve")}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {total > 0 && <QueuePages offset={offset} pageSize={PAGE_SIZE} total={total} onOffset={setOffset} />}
        </>
      )}
    </section>
  );
}
