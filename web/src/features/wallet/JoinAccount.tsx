// A new device joins an existing passkey account: she gives it a name (or accepts the one
// proposed), it makes its own passkey and shows the request as a QR code and a link (copy, share)
// for a device already in the account to approve, with the check code both devices show
// (deviceCheck.ts), and waits until the account lists the new passkey, then continues with it.
import { useEffect, useState } from "react";
import type { Hex } from "viem";
import { useConfig } from "wagmi";
import { CopyButton } from "../../components/CopyButton";
import { Field } from "../../components/Field";
import { QrCode } from "../../components/QrCode";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useLang, useT } from "../../i18n/useT";
import { readStored } from "../../lib/localStore";
import { deviceCheckCode, spacedCode } from "../../wallet/passkey/deviceCheck";
import { deviceLink } from "../../wallet/passkey/deviceLink";
import {
  cleanDeviceName,
  guessPlatform,
  isPlatform,
  MAX_DEVICE_NAME_CHARS,
  type Platform,
  proposedDeviceName,
} from "../../wallet/passkey/deviceNames";
import { connectPasskey } from "../../wallet/walletActions";

export const PENDING_JOIN_KEY = "hcy.passkey.pending.v1";
type Pending = { id: string; x: Hex; y: Hex; name: string; platform: Platform | null; requestedAt: number };
const POLL_MS = 2_000;

function loadPending(): Pending | null {
  return readStored<Pending | null>(
    PENDING_JOIN_KEY,
    (raw) => {
      const p = raw as Partial<Pending> | null;
      if (!p || typeof p.id !== "string" || typeof p.x !== "string" || typeof p.y !== "string") return undefined;
      // A request made before devices had names: it gets one now (and so a code).
      const platform = isPlatform(p.platform) ? p.platform : null;
      return {
        id: p.id,
        x: p.x as Hex,
        y: p.y as Hex,
        name: typeof p.name === "string" && p.name ? p.name : proposedDeviceName(platform, "zh"),
        platform,
        requestedAt: typeof p.requestedAt === "number" ? p.requestedAt : Date.now(),
      };
    },
    null,
  );
}

export function JoinAccount({ onCancel }: { onCancel: () => void }) {
  const t = useT(passkeyMessages);
  const lang = useLang();
  const config = useConfig();
  const platform = guessPlatform(navigator.userAgent);
  const [pending, setPending] = useState<Pending | null>(loadPending);
  const [name, setName] = useState(() => proposedDeviceName(platform, lang));
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    const poll = async () => {
      const { findAccountWithPasskey } = await import("../../wallet/passkey/passkeyAccount");
      while (!stopped) {
        const address = await findAccountWithPasskey(pending.x, pending.y).catch(() => null);
        if (address && !stopped) {
          localStorage.removeItem(PENDING_JOIN_KEY);
          await connectPasskey(config, {
            id: pending.id,
            x: pending.x,
            y: pending.y,
            address,
            name: pending.name,
            platform: pending.platform,
            addedAt: Date.now(),
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [pending, config]);

  const create = async () => {
    const clean = cleanDeviceName(name);
    if (!clean) {
      setNameError(t("deviceNameMissing"));
      return;
    }
    setNameError(null);
    setBusy(true);
    setError(null);
    try {
      const { createPasskey } = await import("../../wallet/passkey/passkeyAccount");
      const passkey = await createPasskey(t("passkeyName"));
      const request: Pending = { ...passkey, name: clean, platform, requestedAt: Date.now() };
      localStorage.setItem(PENDING_JOIN_KEY, JSON.stringify(request));
      setPending(request);
    } catch {
      setError(t("notConfirmed"));
    } finally {
      setBusy(false);
    }
  };

  const link = pending ? deviceLink(pending) : "";
  const canShare = typeof navigator.share === "function";
  return (
    <section className="card stack" aria-labelledby="join-title">
      <h1 id="join-title">{t("joinTitle")}</h1>
      {pending ? (
        <>
          <p>{t("joinShowOther")}</p>
          <dl className="device-request" data-testid="join-request">
            <dt>{t("requestName")}</dt>
            <dd data-testid="join-name">{pending.name}</dd>
            <dt>{t("checkCode")}</dt>
            <dd className="check-code" data-testid="join-code">
              {spacedCode(deviceCheckCode(pending))}
            </dd>
          </dl>
          <p className="notice">{t("joinCompare")}</p>
          <QrCode text={link} alt={t("joinQrAlt")} loadingLabel={t("joinLoading")} />
          <p className="hint">{t("joinLink")}</p>
          <div className="button-row">
            <CopyButton text={link} label={t("copyLink")} />
            {canShare && (
              <button
                type="button"
                className="secondary small"
                onClick={() => void navigator.share({ title: t("joinTitle"), url: link }).catch(() => undefined)}
              >
                {t("shareLink")}
              </button>
            )}
          </div>
          <p className="hint break-anywhere" data-testid="join-link">
            {link}
          </p>
          <p className="progress">{t("joinWaiting")}</p>
        </>
      ) : (
        <>
          <p>{t("joinIntro")}</p>
          <Field id="device-name" label={t("deviceNameLabel")} hint={t("deviceNameHint")} error={nameError}>
            <input
              type="text"
              value={name}
              maxLength={MAX_DEVICE_NAME_CHARS}
              autoComplete="off"
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <button type="button" className="primary big" disabled={busy} onClick={() => void create()}>
            {t("joinCreate")}
          </button>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          localStorage.removeItem(PENDING_JOIN_KEY);
          onCancel();
        }}
      >
        {t("cancelJoin")}
      </button>
    </section>
  );
}
