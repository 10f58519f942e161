// Issuing against a bank reference, within the issuer's allowance (shown, and checked before
// sending), and the city service's pending top-up requests: approving one issues its amount to
// the resident with the request's bank reference from this (the issuer's) wallet. A request can
// be approved once: its button stays disabled while the issue is under way, and before anything
// is sent the chain is asked whether an `Issued` with that reference already exists (the contract
// refuses a second issue under one reference anyway). The room left to issue (the reserves of the
// latest attestation, less what has been cashed out since, less the supply) and how long that
// attestation still allows issuing (judged by the chain's clock) are shown and checked before sending.
import type { TopUp } from "@core/api";
import { formatFen, parseYuan } from "@core/money";
import { displayOrderRef, MAX_TEXT_REF_BYTES, toOrderRef } from "@core/orderRef";
import { useState } from "react";
import { type Address, getAbiItem, type Hex, isAddress } from "viem";
import { useBlock, usePublicClient, useReadContract, useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { cityYuan, deployment } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { moneyMessages } from "../../i18n/messages/money";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard, type ActionPlan } from "./ActionCard";
import { TopUpRequests } from "./TopUpRequests";
import type { DeskRole } from "./useDeskRoles";

export function IssuePanel({ me, roles }: { me: Address; roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const tm = useT(moneyMessages);
  const f = useFormat();
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [bankRef, setBankRef] = useState("");
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState<ReadonlySet<Hex>>(new Set());
  const [queueRefusal, setQueueRefusal] = useState<string>();
  const [formRefusal, setFormRefusal] = useState<string>();
  const client = usePublicClient({ chainId: cityChain.id });
  const mark = (ref: Hex, on: boolean) =>
    setPending((current) => {
      const next = new Set(current);
      if (on) next.add(ref);
      else next.delete(ref);
      return next;
    });
  const allowance = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "issuerAllowance",
    args: [me],
    chainId: cityChain.id,
  });
  const left = allowance.data;
  // Secure Mint: the supply after issuing may not exceed the reserves now (the latest attested
  // reserves less what was redeemed since), and the latest attestation must not be too old.
  const cover = useReadContracts({
    contracts: [
      { ...cityYuan, functionName: "reservesHeadroom", chainId: cityChain.id },
      { ...cityYuan, functionName: "latestAttestationTime", chainId: cityChain.id },
      { ...cityYuan, functionName: "maxReportAge", chainId: cityChain.id },
    ],
    allowFailure: false,
  });
  const [room, attestedAt, maxReportAge] = cover.data ?? [];
  // The chain's clock, not the computer's (a local chain may run ahead of the wall clock).
  const block = useBlock({ chainId: cityChain.id, watch: true });
  const now = block.data?.timestamp ?? BigInt(Math.floor(Date.now() / 1000));
  const validUntil = attestedAt !== undefined && maxReportAge !== undefined ? attestedAt + maxReportAge : undefined;
  const report =
    attestedAt === undefined || validUntil === undefined
      ? undefined
      : attestedAt === 0n
        ? { refusal: t("noReport") }
        : now > validUntil
          ? { refusal: t("reportTooOld", { until: f.chainTime(validUntil) }) }
          : { note: t("reportValidUntil", { attested: f.chainTime(attestedAt), until: f.chainTime(validUntil) }) };
  const token = cityYuan;

  const parsed = parseYuan(amount);
  const refBytes = new TextEncoder().encode(bankRef.trim()).length;
  const errors = {
    to: !isAddress(to.trim()) ? t("invalidAddress") : undefined,
    amount: !parsed.ok
      ? tm(parsed.error)
      : left !== undefined && parsed.fen > left && roles.has("issuer")
        ? t("overAllowance", { amount: formatFen(left) })
        : report?.refusal !== undefined && roles.has("issuer")
          ? report.refusal
          : room !== undefined && parsed.fen > room
            ? t("overReserves", { amount: formatFen(room) })
            : undefined,
    bankRef: refBytes === 0 ? t("required") : refBytes > MAX_TEXT_REF_BYTES ? t("tooLong") : undefined,
  };
  const valid = !errors.to && !errors.amount && !errors.bankRef;

  /** Already issued on chain under this reference? Then nothing is sent, whatever the queue says. */
  const alreadyIssued = async (ref: Hex): Promise<Hex | undefined> => {
    if (!client) throw new Error("no chain client");
    const logs = await client.getLogs({
      address: token.address,
      event: getAbiItem({ abi: token.abi, name: "Issued" }),
      args: { bankRef: ref },
      fromBlock: BigInt(deployment?.deployBlock ?? 0),
    });
    return logs[0]?.transactionHash ?? undefined;
  };

  const approve = async (topUp: TopUp, request: (plan: ActionPlan) => void) => {
    if (pending.has(topUp.bankRef)) return;
    // Refusals the contract would make, said in plain words before anything is sent.
    if (report?.refusal !== undefined) return setQueueRefusal(report.refusal);
    if (room !== undefined && BigInt(topUp.amountFen) > room) {
      return setQueueRefusal(t("overReserves", { amount: formatFen(room) }));
    }
    mark(topUp.bankRef, true);
    setQueueRefusal(undefined);
    try {
      const tx = await alreadyIssued(topUp.bankRef);
      if (tx !== undefined) {
        setQueueRefusal(t("alreadyIssued", { ref: displayOrderRef(topUp.bankRef), tx: `${tx.slice(0, 10)}…` }));
        return; // stays disabled: the watcher will take the request out of the queue
      }
    } catch (error) {
      mark(topUp.bankRef, false);
      setQueueRefusal(t("chainCheckFailed", { message: error instanceof Error ? error.message.split("\n")[0] : "" }));
      return;
    }
    request({
      ...plan(topUp.owner, BigInt(topUp.amountFen), topUp.bankRef),
      onCancel: () => mark(topUp.bankRef, false),
    });
  };

  const plan = (recipient: Address, fen: bigint, ref: Hex): ActionPlan => ({
    label: t("issueTitle"),
    write: contractWrite({
      address: token.address,
      abi: token.abi,
      functionName: "issue",
      args: [recipient, fen, ref],
    }),
    summary: [
      { label: t("to"), value: <AddressText address={recipient} /> },
      { label: t("amount"), value: <Money fen={fen} /> },
      { label: t("bankRef"), value: displayOrderRef(ref) },
    ],
  });

  return (
    <ActionCard
      id="desk-issue"
      title={t("issueTitle")}
      requiredRole="issuer"
      roles={roles}
      onConfirmed={() => {
        void allowance.refetch();
        void cover.refetch();
      }}
    >
      {(request) => (
        <>
          {roles.has("issuer") && left !== undefined && (
            <p className="allowance">{t("allowance", { amount: formatFen(left) })}</p>
          )}
          {roles.has("issuer") && room !== undefined && (
            <p className="reserves-room">{t("reservesRoom", { amount: formatFen(room) })}</p>
          )}
          {roles.has("issuer") && report?.note !== undefined && <p className="report-age">{report.note}</p>}
          {roles.has("issuer") && report?.refusal !== undefined && (
            <p className="error report-age" role="alert">
              {report.refusal}
            </p>
          )}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              if (!valid || !parsed.ok) return;
              const ref = toOrderRef(bankRef.trim());
              setFormRefusal(undefined);
              // A role holder without the issuer role is refused by the card itself, before any check.
              if (!roles.has("issuer")) return request(plan(to.trim() as Address, parsed.fen, ref));
              void alreadyIssued(ref).then(
                (tx) =>
                  tx === undefined
                    ? request(plan(to.trim() as Address, parsed.fen, ref))
                    : setFormRefusal(t("alreadyIssued", { ref: displayOrderRef(ref), tx: `${tx.slice(0, 10)}…` })),
                (error: unknown) =>
                  setFormRefusal(
                    t("chainCheckFailed", { message: error instanceof Error ? error.message.split("\n")[0] : "" }),
                  ),
              );
            }}
          >
            <label htmlFor="issue-to">{t("to")}</label>
            <input
              id="issue-to"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              spellCheck={false}
              aria-invalid={touched && Boolean(errors.to)}
            />
            {touched && errors.to && <p className="error">{errors.to}</p>}
            <label htmlFor="issue-amount">{t("amount")}</label>
            <input
              id="issue-amount"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={touched && Boolean(errors.amount)}
            />
            {touched && errors.amount && <p className="error">{errors.amount}</p>}
            <label htmlFor="issue-ref">{t("bankRef")}</label>
            <input
              id="issue-ref"
              value={bankRef}
              onChange={(e) => setBankRef(e.target.value)}
              aria-describedby="issue-ref-hint"
              aria-invalid={touched && Boolean(errors.bankRef)}
            />
            <p id="issue-ref-hint" className="hint">
              {t("bankRefHint")}
            </p>
            {touched && errors.bankRef && <p className="error">{errors.bankRef}</p>}
            {formRefusal && (
              <p className="error refusal" role="alert">
                {formRefusal}
              </p>
            )}
            <button type="submit" className="primary">
              {t("issue")}
            </button>
          </form>
          {roles.has("issuer") && (
            <>
              {queueRefusal && (
                <p className="error refusal" role="alert">
                  {queueRefusal}
                </p>
              )}
              <TopUpRequests me={me} pending={pending} onApprove={(topUp) => void approve(topUp, request)} />
            </>
          )}
        </>
      )}
    </ActionCard>
  );
}
