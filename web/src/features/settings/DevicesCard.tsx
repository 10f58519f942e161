// The passkey account's devices (its passkeys, read from the account): which one is this device,
// how to add one (scan the new device's code), and removing a lost one from here (never the last).
import { cityAccountAbi } from "@generated/contracts";
import { useState } from "react";
import { type Address, type Hex, slice } from "viem";
import { useReadContract } from "wagmi";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { loadPasskey } from "../../wallet/passkey/passkeyStore";

type Device = { x: Hex; y: Hex };

/** ERC-7913 signer bytes: the verifier (20 bytes), then the passkey's x and y (32 bytes each). */
function deviceOf(signer: Hex): Device {
  return { x: slice(signer, 20, 52), y: slice(signer, 52, 84) };
}

export function DevicesCard({ account }: { account: Address }) {
  const t = useT(passkeyMessages);
  const own = loadPasskey();
  const signers = useReadContract({
    address: account,
    abi: cityAccountAbi,
    functionName: "getSigners",
    args: [0n, 50n],
  });
  const [removing, setRemoving] = useState<Device | null>(null);
  // Not deployed yet: the one passkey that created it.
  const devices: Device[] = signers.data ? signers.data.map(deviceOf) : own ? [{ x: own.x, y: own.y }] : [];
  const isOwn = (d: Device) =>
    own !== null && d.x.toLowerCase() === own.x.toLowerCase() && d.y.toLowerCase() === own.y.toLowerCase();

  if (removing) {
    const n = devices.findIndex((d) => d.x === removing.x && d.y === removing.y) + 1;
    return (
      <section className="card" aria-labelledby="devices-title">
        <h2 id="devices-title">{t("devicesTitle")}</h2>
        <TxConfirm
          title={t("removeTitle")}
          summary={[{ label: t("deviceN", { n: String(n) }), value: t("removeSummary") }]}
          write={contractWrite({
            address: account,
            abi: cityAccountAbi,
            functionName: "removePasskey",
            args: [removing.x, removing.y],
          })}
          onConfirmed={() => void signers.refetch()}
          onCancel={() => setRemoving(null)}
          onDone={() => setRemoving(null)}
        />
      </section>
    );
  }

  return (
    <section className="card stack" aria-labelledby="devices-title">
      <h2 id="devices-title">{t("devicesTitle")}</h2>
      <p className="hint">{t("devicesHint")}</p>
      <ul className="device-list" data-testid="devices">
        {devices.map((d, i) => (
          <li key={d.x} className="button-row">
            <span>
              {t("deviceN", { n: String(i + 1) })}
              {isOwn(d) && t("thisDevice")}
            </span>
            {devices.length > 1 && (
              <button
                type="button"
                className="secondary"
                aria-label={`${t("removeDevice")} ${t("deviceN", { n: String(i + 1) })}`}
                onClick={() => setRemoving(d)}
              >
                {t("removeDevice")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {devices.length === 1 && <p className="hint">{t("lastDevice")}</p>}
      <p className="hint">{t("addDeviceHow")}</p>
    </section>
  );
}
