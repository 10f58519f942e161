// Freezing or unfreezing an account by law, with the legal basis recorded on chain (the event
// carries it). Shows the account's current state before acting.
import { useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { cityYuan } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard } from "./ActionCard";
import type { DeskRole } from "./useDeskRoles";

export function FreezePanel({ roles }: { roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const [account, setAccount] = useState("");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const valid = isAddress(account.trim());
  const target = valid ? getAddress(account.trim()) : undefined;
  const frozen = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "isFrozen",
    args: target ? [target] : undefined,
    chainId: cityChain.id,
    query: { enabled: Boolean(target) },
  });
  // A registered city escrow cannot be frozen (CityYuan refuses it); say so before sending.
  const escrow = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "isCityEscrow",
    args: target ? [target] : undefined,
    chainId: cityChain.id,
    query: { enabled: Boolean(target) },
  });
  const [escrowRefused, setEscrowRefused] = useState(false);
  const token = cityYuan;
  const submit = (
    request: Parameters<Parameters<typeof ActionCard>[0]["children"]>[0],
    action: "freeze" | "unfreeze",
  ) => {
    setTouched(true);
    setEscrowRefused(action === "freeze" && escrow.data === true);
    if (!target || reason.trim() === "" || (action === "freeze" && escrow.data === true)) return;
    request({
      label: t(action),
      write: contractWrite({ ...token, functionName: action, args: [target as Address, reason.trim()] }),
      summary: [
        { label: t("summaryAction"), value: t(action) },
        { label: t("account"), value: <AddressText address={target} /> },
        { label: t("reason"), value: reason.trim() },
      ],
    });
  };
  return (
    <ActionCard
      id="desk-freeze"
      title={t("freezeTitle")}
      requiredRole="compliance"
      roles={roles}
      onConfirmed={() => void frozen.refetch()}
    >
      {(request) => (
        <form noValidate onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="freeze-account">{t("account")}</label>
          <input
            id="freeze-account"
            value={account}
            spellCheck={false}
            onChange={(e) => setAccount(e.target.value)}
            aria-invalid={touched && !valid}
          />
          {touched && !valid && <p className="error">{t("invalidAddress")}</p>}
          {frozen.data !== undefined && <p>{frozen.data ? t("frozenNow") : t("notFrozenNow")}</p>}
          {escrowRefused && escrow.data === true && (
            <p className="error" role="alert">
              {t("escrowNotFreezable")}
            </p>
          )}
          <label htmlFor="freeze-reason">{t("reason")}</label>
          <input
            id="freeze-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={touched && reason.trim() === ""}
          />
          {touched && reason.trim() === "" && <p className="error">{t("required")}</p>}
          <div className="button-row">
            <button type="button" className="primary" onClick={() => submit(request, "freeze")}>
              {t("freeze")}
            </button>
            <button type="button" className="secondary" onClick={() => submit(request, "unfreeze")}>
              {t("unfreeze")}
            </button>
          </div>
        </form>
      )}
    </ActionCard>
  );
}
