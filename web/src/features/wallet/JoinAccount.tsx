// A new device joins an existing passkey account: it makes its own passkey, shows the passkey's
// public key as a QR code (and link) for a device already in the account to approve, and waits
// until the account lists the new passkey, then continues with that account.
import { useEffect, useState } from "react";
import type { Hex } from "viem";
import { useConfig } from "wagmi";
import { QrCode } from "../../components/QrCode";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useT } from "../../i18n/useT";
import { deviceLink } from "../../wallet/passkey/deviceLink";
import { connectPasskey } from "../../wallet/walletActions";

const PENDING_KEY = "hcy.passkey.pending.v1";
type Pending = { id: string; x: Hex; y: Hex };
const POLL_MS = 2_000;

function loadPending(): Pending | null {
  try {
    const p = JSON.parse(localStorage.getItem(PENDING_KEY) ?? "null") as Pending | null;
    return p && typeof p.id === "string" && typeof p.x === "string" && typeof p.y === "string" ? p : null;
  } catch {
    return null;
  }
}

export function JoinAccount({ onCancel }: { onCancel: () => void }) {
  const t = useT(passkeyMessages);
  const config = useConfig();
  const [pending, setPending] = useState<Pending | null>(loadPending);
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
          localStorage.removeItem(PENDING_KEY);
          await connectPasskey(config, { ...pending, address });
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
    setBusy(true);
    setError(null);
    try {
      const { createPasskey } = await import("../../wallet/passkey/passkeyAccount");
      const passkey = await createPasskey(t("passkeyName"));
      localStorage.setItem(PENDING_KEY, JSON.stringify(passkey));
      setPending(passkey);
    } catch {
      setError(t("notConfirmed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="join-title">
      <h1 id="join-title">{t("joinTitle")}</h1>
      <p>{t("joinIntro")}</p>
      {pending ? (
        <>
          <QrCode text={deviceLink(pending.x, pending.y)} alt={t("joinQrAlt")} loadingLabel={t("joinLoading")} />
          <p className="hint">{t("joinLink")}</p>
          <p className="hint break-anywhere" data-testid="join-link">
            {deviceLink(pending.x, pending.y)}
          </p>
          <p className="progress">{t("joinWaiting")}</p>
        </>
      ) : (
        <button type="button" className="primary big" disabled={busy} onClick={() => void create()}>
          {t("joinCreate")}
        </button>
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
          localStorage.removeItem(PENDING_KEY);
          onCancel();
        }}
      >
        {t("cancelJoin")}
      </button>
    </section>
  );
}
