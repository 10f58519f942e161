// The review of a cash-out: "cash out N 元 to card …1234", then CityYuan.redeem(amount, bankRef)
// through TxConfirm. The service sees the Redeemed event and has the bank pay out.

import type { CashOut } from "@core/api";
import { formatFen } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { accountMessages } from "../../i18n/messages/account";
import { txMessages } from "../../i18n/messages/tx";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";

export function CashOutConfirm({
  owner,
  request,
  cardLast4,
  onClose,
}: {
  owner: Address;
  request: CashOut;
  cardLast4: string | undefined;
  onClose: () => void;
}) {
  const t = useT(accountMessages);
  const tx = useT(txMessages);
  const queryClient = useQueryClient();
  const fen = BigInt(request.amountFen);
  return (
    <TxConfirm
      title={t("cashOutTitle")}
      summary={[
        {
          label: t("cashOutWhat"),
          value: cardLast4
            ? t("cashOutSummary", { amount: formatFen(fen, { style: "unit" }), last4: cardLast4 })
            : formatFen(fen, { style: "unit" }),
        },
        { label: tx("amount"), value: <Money fen={fen} /> },
        { label: tx("purpose"), value: t("cashOutPurpose") },
        { label: t("bankRef"), value: <code title={request.bankRef}>{displayOrderRef(request.bankRef)}</code> },
      ]}
      write={contractWrite({
        address: cityYuan.address,
        abi: cityYuan.abi,
        functionName: "redeem",
        args: [fen, request.bankRef],
      })}
      confirmLabel={t("cashOutConfirm")}
      onConfirmed={() => void queryClient.invalidateQueries({ queryKey: ["cityService", "cashOuts", owner] })}
      onCancel={onClose}
      onDone={onClose}
    />
  );
}
