// #/devices/add?key=…: a device already in the passkey account approves a new device (scanned from
// the new device's QR code): one operation calling the account's addPasskey, with the fingerprint.
import { cityAccountAbi } from "@generated/contracts";
import { useConnection, useReadContract } from "wagmi";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useT } from "../../i18n/useT";
import { navigate } from "../../router";
import type { PageProps } from "../../routes";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { parseDeviceLinkKey } from "../../wallet/passkey/deviceLink";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";

export default function AddDevicePage({ query }: PageProps) {
  const t = useT(passkeyMessages);
  const { address, connector } = useConnection();
  const key = parseDeviceLinkKey(query.get("key"));
  const already = useReadContract({
    address,
    abi: cityAccountAbi,
    functionName: "isPasskey",
    args: key ? [key.x, key.y] : undefined,
    query: { enabled: Boolean(key && address) },
  });
  let body: React.ReactNode;
  if (!key) body = <p className="error">{t("addInvalid")}</p>;
  else if (connector?.id !== PASSKEY_WALLET_ID || !address) body = <p className="error">{t("addNeedsPasskey")}</p>;
  else if (already.data === true) body = <p className="success">{t("addAlready")}</p>;
  else
    body = (
      <>
        <p className="notice">{t("addIntro")}</p>
        <TxConfirm
          summary={[{ label: t("addSummaryWhat"), value: t("addSummaryValue") }]}
          write={contractWrite({ address, abi: cityAccountAbi, functionName: "addPasskey", args: [key.x, key.y] })}
          confirmLabel={t("addConfirm")}
          onCancel={() => navigate("/settings")}
          onDone={() => navigate("/settings")}
        />
      </>
    );
  return (
    <div className="stack">
      <h1>{t("addTitle")}</h1>
      {body}
    </div>
  );
}
