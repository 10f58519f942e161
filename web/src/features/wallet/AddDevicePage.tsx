// #/devices/add?key=…&name=…&p=…&at=…: a device already in the passkey account approves a new
// device (scanned from the new device's QR code or opened from its link): it shows who is asking
// (the name and brand the new device gave, when it asked) and the check code the new device shows
// too (deviceCheck.ts), then one operation calling the account's addPasskey, with the fingerprint.
// The name is kept on this device and, when signed in, in the city service; never on the chain.
import { cityAccountAbi } from "@generated/contracts";
import { useState } from "react";
import { useConnection, useReadContract } from "wagmi";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { navigate } from "../../router";
import type { PageProps } from "../../routes";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { deviceCheckCode, spacedCode } from "../../wallet/passkey/deviceCheck";
import { parseDeviceLink } from "../../wallet/passkey/deviceLink";
import { deviceKey, platformName, rememberDevice } from "../../wallet/passkey/deviceNames";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import { shareDeviceName, useRefreshDeviceNames } from "../../wallet/passkey/useDeviceNames";

export default function AddDevicePage({ query }: PageProps) {
  const t = useT(passkeyMessages);
  const lang = useLang();
  const f = useFormat();
  const { address, connector } = useConnection();
  const request = parseDeviceLink(query);
  // Once approved, the outcome stays on screen even when the account is read again.
  const [added, setAdded] = useState<string | null>(null);
  const refreshNames = useRefreshDeviceNames(address ?? "0x0000000000000000000000000000000000000000");
  const already = useReadContract({
    address,
    abi: cityAccountAbi,
    functionName: "isPasskey",
    args: request ? [request.x, request.y] : undefined,
    query: { enabled: Boolean(request && address) },
  });
  let body: React.ReactNode;
  if (!request) body = <p className="error">{t("addInvalid")}</p>;
  else if (connector?.id !== PASSKEY_WALLET_ID || !address) body = <p className="error">{t("addNeedsPasskey")}</p>;
  else if (already.data === true && added === null) body = <p className="success">{t("addAlready")}</p>;
  else {
    const asking = request.platform ? `${request.name} · ${platformName(request.platform, lang)}` : request.name;
    const code = spacedCode(deviceCheckCode(request));
    body = (
      <>
        <p className="notice">{t("addIntro")}</p>
        <dl className="device-request" data-testid="add-request">
          <dt>{t("requestName")}</dt>
          <dd data-testid="add-name">{asking}</dd>
          <dt>{t("requestTime")}</dt>
          <dd>{f.dateTime(request.requestedAt)}</dd>
          <dt>{t("checkCode")}</dt>
          <dd className="check-code" data-testid="add-code">
            {code}
          </dd>
        </dl>
        <p className="notice strong" data-testid="add-compare">
          {t("addCompare")}
        </p>
        <TxConfirm
          summary={[{ label: t("addSummaryWhat"), value: t("addSummaryValue", { name: request.name }) }]}
          write={contractWrite({
            address,
            abi: cityAccountAbi,
            functionName: "addPasskey",
            args: [request.x, request.y],
          })}
          confirmLabel={t("addConfirm")}
          onConfirmed={() => {
            const key = deviceKey(request.x, request.y);
            const info = { name: request.name, platform: request.platform, addedAt: Date.now() };
            rememberDevice(address, key, info);
            void shareDeviceName(address, key, info).then(refreshNames);
            setAdded(request.name);
          }}
          onCancel={() => navigate("/settings")}
          onDone={() => navigate("/settings")}
        />
        {added !== null && (
          <p className="success" data-testid="device-result">
            {t("addedResult", { name: added })}
          </p>
        )}
      </>
    );
  }
  return (
    <div className="stack">
      <h1>{t("addTitle")}</h1>
      {body}
    </div>
  );
}
