// Issuing against a bank reference, within the issuer's allowance (shown, and checked before
// sending), and the city service's pending top-up requests: approving one issues its amount to
// the resident with the request's bank reference from this (the issuer's) wallet.

import { formatFen, parseYuan } from "@core/money";
import { displayOrderRef, MAX_TEXT_REF_BYTES, toOrderRef } from "@core/orderRef";
import { useState } from "react";
import { type Address, type Hex, isAddress } from "viem";
import { useReadContract, useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { ActionCard, type ActionPlan } from "./ActionCard";
import { TopUpRequests } from "./TopUpRequests";
import type { DeskRole } from "./useDeskRoles";

export function IssuePanel({ me, roles }: { me: Address; roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const tm = useT(moneyMessages);
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [bankRef, setBankRef] = useState("");
  const [touched, setTouched] = useState(false);
  const allowance = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "issuerAllowance",
    args: [me],
    chainId: cityChain.id,
  });
  const left = allowance.data as bigint | undefined;
  // Secure Mint: the supply after issuing may not exceed the latest attested reserves.
  const cover = useReadContracts({
    contracts: [
      { ...cityYuan, functionName: "latestReserves", chainId: cityChain.id },
      { ...cityYuan, functionName: "totalSupply", chainId: cityChain.id },
    ],
    allowFailure: false,
  });
  const [reserves, supply] = cover.data ?? [];
  const room =
    reserves !== undefined && supply !== undefined ? (reserves > supply ? reserves - supply : 0n) : undefined;
  const token = cityYuan;

  const parsed = parseYuan(amount);
  const refBytes = new TextEncoder().encode(bankRef.trim()).length;
  const errors = {
    to: !isAddress(to.trim()) ? t("invalidAddress") : undefined,
    amount: !parsed.ok
      ? tm(parsed.error)
      : left !== undefined && parsed.fen > left && roles.has("issuer")
        ? t("overAllowance", { amount: formatFen(left) })
        : room !== undefined && parsed.fen > room
          ? t("overReserves", { amount: formatFen(room) })
          : undefined,
    bankRef: refBytes === 0 ? t("required") : refBytes > MAX_TEXT_REF_BYTES ? t("tooLong") : undefined,
  };
  const valid = !errors.to && !errors.amount && !errors.bankRef;

  const plan = (recipient: Address, fen: bigint, ref: Hex): ActionPlan => ({
    label: t("issueTitle"),
    write: { address: token.address, abi: token.abi, functionName: "issue", args: [recipient, fen, ref] },
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
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              if (valid && parsed.ok) request(plan(to.trim() as Address, parsed.fen, toOrderRef(bankRef.trim())));
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
            <button type="submit" className="primary">
              {t("issue")}
            </button>
          </form>
          {roles.has("issuer") && (
            <TopUpRequests me={me} onApprove={(owner, fen, ref) => request(plan(owner, fen, ref))} />
          )}
        </>
      )}
    </ActionCard>
  );
}
