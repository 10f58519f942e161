// The admin raises or cuts an issuer's issuing allowance. CityYuan only takes increases and
// decreases (never an overwrite), so an issuer racing a cut can never issue old + new; a cut
// larger than what is left is refused here before sending, and by the contract if the issuer
// issued in the meantime.
import { formatFen, parseYuan } from "@core/money";
import { useState } from "react";
import { type Address, isAddress, keccak256, stringToHex } from "viem";
import { useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard } from "./ActionCard";
import type { DeskRole } from "./useDeskRoles";

const ISSUER_ROLE = keccak256(stringToHex("ISSUER_ROLE"));

type Direction = "increase" | "decrease";

export function AllowancePanel({ roles }: { roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const tm = useT(moneyMessages);
  const [issuer, setIssuer] = useState("");
  const [amount, setAmount] = useState("");
  const [touched, setTouched] = useState(false);
  const [shown, setShown] = useState<Direction>("increase");
  const target = isAddress(issuer.trim()) ? (issuer.trim() as Address) : undefined;
  const probe = target ?? "0x0000000000000000000000000000000000000000";
  const state = useReadContracts({
    contracts: [
      { ...cityYuan, functionName: "issuerAllowance", args: [probe], chainId: cityChain.id },
      { ...cityYuan, functionName: "hasRole", args: [ISSUER_ROLE, probe], chainId: cityChain.id },
    ],
    allowFailure: false,
    query: { enabled: Boolean(target) },
  });
  const token = cityYuan;
  const [current, isIssuer] = target ? (state.data ?? []) : [];
  const parsed = parseYuan(amount);

  const errorsFor = (direction: Direction) => ({
    issuer: !target ? t("invalidAddress") : isIssuer === false ? t("notIssuer") : undefined,
    amount: !parsed.ok
      ? tm(parsed.error)
      : direction === "decrease" && current !== undefined && parsed.fen > current
        ? t("cutTooLarge", { amount: formatFen(current) })
        : undefined,
  });
  const errors = errorsFor(shown);

  return (
    <ActionCard
      id="desk-allowance"
      title={t("allowanceTitle")}
      requiredRole="admin"
      roles={roles}
      onConfirmed={() => void state.refetch()}
    >
      {(request) => {
        const submit = (direction: Direction) => {
          setShown(direction);
          setTouched(true);
          const e = errorsFor(direction);
          if (e.issuer || e.amount || !target || !parsed.ok) return;
          request({
            label: t(direction === "increase" ? "increaseAllowance" : "decreaseAllowance"),
            write: contractWrite({
              ...token,
              functionName: direction === "increase" ? "increaseIssuerAllowance" : "decreaseIssuerAllowance",
              args: [target, parsed.fen],
            }),
            summary: [
              { label: t("issuerAddress"), value: <AddressText address={target} /> },
              {
                label: t(direction === "increase" ? "increaseAllowance" : "decreaseAllowance"),
                value: <Money fen={parsed.fen} />,
              },
            ],
          });
        };
        return (
          <form noValidate onSubmit={(e) => e.preventDefault()}>
            <p className="hint">{t("allowanceHint")}</p>
            <label htmlFor="allowance-issuer">{t("issuerAddress")}</label>
            <input
              id="allowance-issuer"
              value={issuer}
              onChange={(e) => setIssuer(e.target.value)}
              spellCheck={false}
              aria-invalid={touched && Boolean(errors.issuer)}
            />
            {touched && errors.issuer && <p className="error">{errors.issuer}</p>}
            {current !== undefined && (
              <p className="allowance">{t("issuerAllowanceNow", { amount: formatFen(current) })}</p>
            )}
            <label htmlFor="allowance-amount">{t("amount")}</label>
            <input
              id="allowance-amount"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={touched && Boolean(errors.amount)}
            />
            {touched && errors.amount && <p className="error">{errors.amount}</p>}
            <div className="button-row">
              <button type="button" className="primary" onClick={() => submit("increase")}>
                {t("increaseAllowance")}
              </button>
              <button type="button" className="secondary" onClick={() => submit("decrease")}>
                {t("decreaseAllowance")}
              </button>
            </div>
          </form>
        );
      }}
    </ActionCard>
  );
}
