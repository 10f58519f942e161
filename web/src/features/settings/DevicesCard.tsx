// The passkey account's devices (its passkeys, read from the account), each by its name
// ("王阿姨的手机 · 华为 · 12月6日添加", deviceNames.ts): which one is this device, renaming one, how
// to add one (scan the new device's code), and removing a lost one from here (never the last). The
// names live on her devices and in the city service, never on the chain.
import { cityAccountAbi } from "@generated/contracts";
import { useState } from "react";
import { type Address, type Hex, slice } from "viem";
import { useReadContract } from "wagmi";
import { Field } from "../../components/Field";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import {
  cleanDeviceName,
  deviceKey,
  deviceLabel,
  MAX_DEVICE_NAME_CHARS,
  rememberDevice,
} from "../../wallet/passkey/deviceNames";
import { loadPasskey, savePasskey } from "../../wallet/passkey/passkeyStore";
import {
  dropDeviceName,
  shareDeviceName,
  useDeviceNames,
  useRefreshDeviceNames,
} from "../../wallet/passkey/useDeviceNames";

type Device = { x: Hex; y: Hex; key: string };

/** ERC-7913 signer bytes: the verifier (20 bytes), then the passkey's x and y (32 bytes each). */
function deviceOf(signer: Hex): Device {
  const x = slice(signer, 20, 52);
  const y = slice(signer, 52, 84);
  return { x, y, key: deviceKey(x, y) };
}

export function DevicesCard({ account }: { account: Address }) {
  const t = useT(passkeyMessages);
  const lang = useLang();
  const own = loadPasskey();
  const nameOf = useDeviceNames(account);
  const refreshNames = useRefreshDeviceNames(account);
  const signers = useReadContract({
    address: account,
    abi: cityAccountAbi,
    functionName: "getSigners",
    args: [0n, 50n],
  });
  // The device being removed and its label, fixed when she chose it: the list changes once it is gone.
  const [removing, setRemoving] = useState<{ device: Device; label: string; name: string } | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ device: Device; name: string; error: string | null } | null>(null);
  // Not deployed yet: the one passkey that created it.
  const devices: Device[] = signers.data
    ? signers.data.map(deviceOf)
    : own
      ? [{ x: own.x, y: own.y, key: deviceKey(own.x, own.y) }]
      : [];
  const ownKey = own ? deviceKey(own.x, own.y) : null;
  const unnamed = (i: number) => t("unnamedDevice", { n: String(i + 1) });
  const labelOf = (d: Device, i: number) => deviceLabel(nameOf(d.key), lang, unnamed(i));
  const shortName = (d: Device, i: number) => nameOf(d.key)?.name || unnamed(i);

  if (removing) {
    return (
      <section className="card" aria-labelledby="devices-title">
        <h2 id="devices-title">{t("devicesTitle")}</h2>
        <TxConfirm
          title={t("removeTitle")}
          summary={[
            { label: t("removeWhich"), value: removing.label },
            { label: t("removeAfter"), value: t("removeSummary") },
          ]}
          write={contractWrite({
            address: account,
            abi: cityAccountAbi,
            functionName: "removePasskey",
            args: [removing.device.x, removing.device.y],
          })}
          onConfirmed={() => {
            setRemoved(removing.name);
            void dropDeviceName(account, removing.device.key).then(refreshNames);
            void signers.refetch();
          }}
          onCancel={() => setRemoving(null)}
          onDone={() => {
            setRemoving(null);
            setRemoved(null);
          }}
        />
        {removed !== null && (
          <p className="success" data-testid="device-result">
            {t("removedResult", { name: removed })}
          </p>
        )}
      </section>
    );
  }

  const saveRename = () => {
    if (!renaming) return;
    const name = cleanDeviceName(renaming.name);
    if (!name) {
      setRenaming({ ...renaming, error: t("deviceNameMissing") });
      return;
    }
    const before = nameOf(renaming.device.key);
    const info = { name, platform: before?.platform ?? null, addedAt: before?.addedAt ?? null };
    rememberDevice(account, renaming.device.key, info);
    if (own && renaming.device.key === ownKey) savePasskey({ ...own, name });
    void shareDeviceName(account, renaming.device.key, info).then(refreshNames);
    setRenaming(null);
  };

  return (
    <section className="card stack" aria-labelledby="devices-title">
      <h2 id="devices-title">{t("devicesTitle")}</h2>
      <p className="hint">{t("devicesHint")}</p>
      <ul className="device-list" data-testid="devices">
        {devices.map((d, i) => (
          <li key={d.key} className="device-row">
            <span className="device-label">
              {labelOf(d, i)}
              {d.key === ownKey && t("thisDevice")}
            </span>
            {renaming?.device.key === d.key ? (
              <div className="stack">
                <Field id="rename-device" label={t("deviceNameLabel")} error={renaming.error}>
                  <input
                    type="text"
                    value={renaming.name}
                    maxLength={MAX_DEVICE_NAME_CHARS}
                    autoComplete="off"
                    onChange={(e) => setRenaming({ ...renaming, name: e.target.value, error: null })}
                  />
                </Field>
                <div className="button-row">
                  <button type="button" className="primary" onClick={saveRename}>
                    {t("saveName")}
                  </button>
                  <button type="button" className="secondary" onClick={() => setRenaming(null)}>
                    {t("cancelJoin")}
                  </button>
                </div>
              </div>
            ) : (
              <div className="button-row">
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`${t("renameDevice")} ${shortName(d, i)}`}
                  onClick={() => setRenaming({ device: d, name: nameOf(d.key)?.name ?? "", error: null })}
                >
                  {t("renameDevice")}
                </button>
                {devices.length > 1 && (
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`${t("removeDevice")} ${shortName(d, i)}`}
                    onClick={() => setRemoving({ device: d, label: labelOf(d, i), name: shortName(d, i) })}
                  >
                    {t("removeDevice")}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
      {devices.length === 1 && <p className="hint">{t("lastDevice")}</p>}
      <p className="hint">{t("addDeviceHow")}</p>
    </section>
  );
}
