// “我的手机丢了”, on her new phone, from the first screen: she names the phone and makes its passkey
// (fingerprint or face), then shows the request (QR code and link, recoveryLink.ts) to the family
// members she chose, with the check number they compare. The phone never asks for an account
// number: the first helper who agrees picks whose phone it is, and the phone finds the account on
// the chain by its own new key (RecoveryStarted). It then shows how many agreed of how many, and
// when it will be done. Without family at hand, she can choose 通过城市服务台找回 (DeskRecovery.tsx):
// the bank re-verifies her and the city desk starts the recovery. Once the waiting time is over this
// phone finishes by itself: it asks the city service to send executeRecovery (open to anyone; the
// service checks it is ready on chain and sends it once), the account lists the new passkey (and, if
// she chose so at the desk, no longer the lost ones) and this phone continues with the same account
// (same number, same money). The request survives a reload (localStorage) until it is done or she stops.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Address, Hex } from "viem";
import { useConfig, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { CopyButton } from "../../components/CopyButton";
import { Field } from "../../components/Field";
import { QrCode } from "../../components/QrCode";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { recoveryMessages } from "../../i18n/messages/recovery";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { readStored } from "../../lib/localStore";
import { type DeskStarted, finishRecovery } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { spacedCode } from "../../wallet/passkey/deviceCheck";
import {
  cleanDeviceName,
  guessPlatform,
  isPlatform,
  MAX_DEVICE_NAME_CHARS,
  type Platform,
  proposedDeviceName,
} from "../../wallet/passkey/deviceNames";
import { connectPasskey } from "../../wallet/walletActions";
import { useChainNow } from "../transfer/useDelayedTransfers";
import { DeskRecovery } from "./DeskRecovery";
import { recoveryCheckCode, recoveryLink } from "./recoveryLink";
import { delayWords, type PendingRecovery, recoveryForPasskey } from "./useRecovery";

export const PENDING_RECOVERY_KEY = "hcy.recovery.pending.v1";
type DeskStep = { account: Address; removed: string[]; deskDelay: number };
type Pending = {
  id: string;
  x: Hex;
  y: Hex;
  name: string;
  platform: Platform | null;
  requestedAt: number;
  /** Set once the city desk started the recovery for this phone. */
  desk?: DeskStep;
  /** She chose 通过城市服务台找回 (kept so a reload shows the desk's form again). */
  deskOpen?: boolean;
  /** The desk request waiting for the bank's code (a reload shows the code step again). */
  deskRequest?: DeskStarted | null;
};
const POLL_MS = 2_000;

function loadPending(): Pending | null {
  return readStored<Pending | null>(
    PENDING_RECOVERY_KEY,
    (raw) => {
      const p = raw as Partial<Pending> | null;
      if (
        !p ||
        typeof p.id !== "string" ||
        typeof p.x !== "string" ||
        typeof p.y !== "string" ||
        typeof p.name !== "string" ||
        typeof p.requestedAt !== "number"
      )
        return undefined;
      return {
        id: p.id,
        x: p.x as Hex,
        y: p.y as Hex,
        name: p.name,
        platform: isPlatform(p.platform) ? p.platform : null,
        requestedAt: p.requestedAt,
        deskOpen: p.deskOpen === true,
        deskRequest: deskRequestOf(p.deskRequest),
        ...(p.desk && typeof p.desk.account === "string" && Array.isArray(p.desk.removed)
          ? {
              desk: {
                account: p.desk.account,
                removed: p.desk.removed.filter((n): n is string => typeof n === "string"),
                deskDelay: Number(p.desk.deskDelay) || 0,
              },
            }
          : {}),
      };
    },
    null,
  );
}

export function LostPhone({ onCancel }: { onCancel: () => void }) {
  const t = useT(recoveryMessages);
  const tp = useT(passkeyMessages);
  const lang = useLang();
  const platform = guessPlatform(navigator.userAgent);
  const [pending, setPending] = useState<Pending | null>(loadPending);
  const [name, setName] = useState(() => proposedDeviceName(platform, lang));
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    const clean = cleanDeviceName(name);
    if (!clean) {
      setNameError(tp("deviceNameMissing"));
      return;
    }
    setNameError(null);
    setBusy(true);
    setError(null);
    try {
      const { createPasskey } = await import("../../wallet/passkey/passkeyAccount");
      const passkey = await createPasskey(tp("passkeyName"));
      const request: Pending = { ...passkey, name: clean, platform, requestedAt: Date.now() };
      localStorage.setItem(PENDING_RECOVERY_KEY, JSON.stringify(request));
      setPending(request);
    } catch {
      setError(tp("notConfirmed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="lost-title" data-testid="lost-phone">
      <h1 id="lost-title">{t("lostTitle")}</h1>
      {pending ? (
        <LostPhoneRequest
          key={pending.id}
          pending={pending}
          onChange={(change) => {
            const next = { ...pending, ...change };
            localStorage.setItem(PENDING_RECOVERY_KEY, JSON.stringify(next));
            setPending(next);
          }}
        />
      ) : (
        <>
          <p>{t("lostIntro")}</p>
          <Field id="lost-device-name" label={tp("deviceNameLabel")} hint={tp("deviceNameHint")} error={nameError}>
            <input
              type="text"
              value={name}
              maxLength={MAX_DEVICE_NAME_CHARS}
              autoComplete="off"
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <button type="button" className="primary big" disabled={busy} onClick={() => void create()}>
            {t("lostCreate")}
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
          localStorage.removeItem(PENDING_RECOVERY_KEY);
          onCancel();
        }}
      >
        {pending ? t("lostCancel") : t("lostBack")}
      </button>
    </section>
  );
}

function LostPhoneRequest({
  pending,
  onChange,
}: {
  pending: Pending;
  onChange: (change: Partial<Pick<Pending, "desk" | "deskOpen" | "deskRequest">>) => void;
}) {
  const t = useT(recoveryMessages);
  const describe = useServiceErrorText();
  const deskOpen = pending.deskOpen === true;
  const setDeskOpen = (open: boolean) => onChange({ deskOpen: open, deskRequest: null });
  const [finishError, setFinishError] = useState<string | null>(null);
  const asked = useRef<string | null>(null);
  const tp = useT(passkeyMessages);
  const f = useFormat();
  const config = useConfig();
  const client = usePublicClient({ chainId: cityChain.id });
  const now = useChainNow();
  const status = useQuery({
    queryKey: ["recoveryForPasskey", pending.x, pending.y],
    enabled: Boolean(client),
    refetchInterval: POLL_MS,
    queryFn: async () => (client ? recoveryForPasskey(client, pending.x, pending.y) : null),
  });

  // Once the account lists this phone's passkey, it is hers again: continue with it.
  const account = status.data?.account;
  const finished = status.data?.state.kind === "done";
  useEffect(() => {
    if (!account || !finished) return;
    let stopped = false;
    void (async () => {
      const { findAccountWithPasskey } = await import("../../wallet/passkey/passkeyAccount");
      const found = await findAccountWithPasskey(pending.x, pending.y).catch(() => null);
      if (!found || stopped) return;
      localStorage.removeItem(PENDING_RECOVERY_KEY);
      await connectPasskey(config, {
        id: pending.id,
        x: pending.x,
        y: pending.y,
        address: found,
        name: pending.name,
        platform: pending.platform,
        addedAt: Date.now(),
      });
    })();
    return () => {
      stopped = true;
    };
  }, [account, finished, pending, config]);

  const link = recoveryLink(pending);
  const state = status.data?.state;
  const canShare = typeof navigator.share === "function";
  const ready = state?.kind === "pending" && state.recovery.readyAt > 0 && now >= state.recovery.readyAt;

  // The waiting time is over: this phone finishes by itself (the service relays executeRecovery,
  // once per recovery however often it is asked), and the effect above then continues with the account.
  const finish = async (recovery: PendingRecovery) => {
    asked.current = recovery.id;
    setFinishError(null);
    try {
      await finishRecovery({ account: recovery.account, qx: pending.x, qy: pending.y, lost: recovery.lost });
      await status.refetch();
    } catch (error) {
      setFinishError(describe(error));
    }
  };
  const readyRecovery = ready && state?.kind === "pending" ? state.recovery : null;
  useEffect(() => {
    if (readyRecovery && asked.current !== readyRecovery.id) void finish(readyRecovery);
  });

  if (deskOpen && !pending.desk && (state === undefined || state.kind === "none")) {
    return (
      <DeskRecovery
        passkey={pending}
        request={pending.deskRequest ?? null}
        onRequest={(deskRequest) => onChange({ deskRequest })}
        onBack={() => setDeskOpen(false)}
        onStarted={(confirmed, deskDelay) => {
          onChange({
            desk: { account: confirmed.account, removed: confirmed.removed.map((d) => d.name), deskDelay },
            deskOpen: false,
            deskRequest: null,
          });
          void status.refetch();
        }}
      />
    );
  }

  return (
    <>
      {pending.desk ? (
        <div className="stack" data-testid="desk-started">
          <p className="success">{t("deskStarted")}</p>
          <p className="notice">{t("deskWhen", { delay: delayWords(pending.desk.deskDelay, t) })}</p>
          {pending.desk.removed.length > 0 && (
            <dl className="device-request" data-testid="desk-removed">
              <dt>{t("deskRemoved")}</dt>
              <dd>{pending.desk.removed.join("、")}</dd>
            </dl>
          )}
        </div>
      ) : null}
      <p>{t("lostShow")}</p>
      <dl className="device-request" data-testid="lost-request">
        <dt>{tp("requestName")}</dt>
        <dd data-testid="lost-name">{pending.name}</dd>
        <dt>{tp("checkCode")}</dt>
        <dd className="check-code" data-testid="lost-code">
          {spacedCode(recoveryCheckCode(pending))}
        </dd>
      </dl>
      <p className="notice">{t("lostCompare")}</p>
      <QrCode text={link} alt={t("lostQrAlt")} loadingLabel={t("lostLoading")} />
      <div className="button-row">
        <CopyButton text={link} label={tp("copyLink")} />
        {canShare && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void navigator.share({ title: t("lostTitle"), url: link }).catch(() => undefined)}
          >
            {tp("shareLink")}
          </button>
        )}
      </div>
      <p className="hint break-anywhere" data-testid="lost-link">
        {link}
      </p>
      {state?.kind === "pending" ? (
        <dl className="device-request" data-testid="lost-status">
          <dt>{t("lostApprovals")}</dt>
          <dd data-testid="lost-approvals">
            {t("lostApprovalsValue", {
              n: String(state.recovery.approvals),
              threshold: String(state.recovery.threshold),
            })}
          </dd>
          <dt>{t("lostReadyAt")}</dt>
          <dd data-testid="lost-ready-at">
            {state.recovery.readyAt > 0 ? f.chainTime(state.recovery.readyAt) : t("helpWaitingOthers")}
          </dd>
        </dl>
      ) : null}
      {ready ? (
        <>
          <p className="notice strong" data-testid="lost-ready">
            {t("lostReady")}
          </p>
          {finishError && readyRecovery && (
            <>
              <p className="error" role="alert" data-testid="lost-finish-error">
                {t("lostFinishFailed", { reason: finishError })}
              </p>
              <button type="button" className="secondary" onClick={() => void finish(readyRecovery)}>
                {t("lostFinishRetry")}
              </button>
            </>
          )}
        </>
      ) : state?.kind === "done" ? (
        <p className="success" data-testid="lost-done">
          {t("lostDone")}
        </p>
      ) : state?.kind === "cancelled" ? (
        <p className="error" role="alert" data-testid="lost-cancelled">
          {t("lostCancelled")}
        </p>
      ) : state?.kind === "pending" && state.recovery.readyAt > 0 ? (
        <p className="notice" data-testid="lost-waiting-time">
          {t("lostWaitingTime")}
        </p>
      ) : (
        <p className="progress">{t("lostWaiting")}</p>
      )}
      {!pending.desk && (state === undefined || state.kind === "none") && (
        <div className="stack" data-testid="desk-offer">
          <p className="hint">{t("deskOr")}</p>
          <button type="button" className="secondary big" data-testid="desk-open" onClick={() => setDeskOpen(true)}>
            {t("deskOpen")}
          </button>
        </div>
      )}
    </>
  );
}

/** A stored desk request, if it still has the shape the service gave (else none: she checks again). */
function deskRequestOf(raw: unknown): DeskStarted | null {
  const r = raw as Partial<DeskStarted> | null | undefined;
  if (
    !r ||
    typeof r.id !== "string" ||
    typeof r.account !== "string" ||
    typeof r.phoneLast4 !== "string" ||
    typeof r.expiresAt !== "number" ||
    typeof r.deskDelay !== "number" ||
    !Array.isArray(r.devices)
  )
    return null;
  const devices = r.devices.filter(
    (d): d is DeskStarted["devices"][number] =>
      typeof d === "object" && d !== null && typeof d.passkey === "string" && typeof d.name === "string",
  );
  return {
    id: r.id,
    account: r.account,
    phoneLast4: r.phoneLast4,
    expiresAt: r.expiresAt,
    deskDelay: r.deskDelay,
    devices,
    ...(typeof r.shownCode === "string" ? { shownCode: r.shownCode } : {}),
  };
}
