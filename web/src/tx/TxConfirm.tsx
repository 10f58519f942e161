// The review-then-send panel every write goes through: a readable summary (who, how much, what
// for), one Confirm button that cannot send twice, then the progress and the outcome in words.
import { type ReactNode, useEffect, useRef, useState } from "react";
import type { Hash, TransactionReceipt } from "viem";
import { commonMessages } from "../i18n/messages/common";
import { passkeyMessages } from "../i18n/messages/passkey";
import { txMessages } from "../i18n/messages/tx";
import { walletMessages } from "../i18n/messages/wallet";
import { useT } from "../i18n/useT";
import { type MoneyOut, ReaskNotice, useReask } from "./Reask";
import { type RevertReasons, useTxFailureText } from "./txFailureText";
import { type TxStage, useTxFlow, type Writes } from "./useTxFlow";

/** The city service refused to sponsor an account no verified person owns (passkeyAccount.ts). */
const NOT_VERIFIED = "CitySponsorshipNotVerified";

export type SummaryLine = { label: string; value: ReactNode };

export type TxConfirmProps = {
  title?: string;
  summary: SummaryLine[];
  /** What to send; several writes go together as one operation (passkey accounts only). */
  write: Writes;
  confirmLabel?: string;
  /** Money leaves the resident's account: the button says 确认付款 and the outcome 已付款. */
  payment?: boolean;
  /** Extra plain-words reasons for a feature's own custom errors, by error name. */
  revertReasons?: RevertReasons;
  /** Money leaves to someone: above the resident's limit or to a new person, ask again (Reask.tsx). */
  moneyOut?: MoneyOut;
  onSent?: (hash: Hash) => void;
  onConfirmed?: (receipt: TransactionReceipt) => void;
  onCancel?: () => void;
  onDone?: () => void;
};

export function TxConfirm(props: TxConfirmProps) {
  const t = useT(txMessages);
  const tc = useT(commonMessages);
  const { state, send, reset, busy } = useTxFlow();
  const statusRef = useRef<HTMLDivElement>(null);
  const reask = useReask(props.moneyOut);
  const [passcode, setPasscode] = useState("");
  const [reaskRefused, setReaskRefused] = useState<string | null>(null);
  const tp = useT(passkeyMessages);
  const tw = useT(walletMessages);

  const confirm = async () => {
    setReaskRefused(null);
    if (reask?.mode === "passcode") {
      // The passcode once more, checked against the stored key (with the guessing guard) before
      // anything is sent; a wrong one sends nothing.
      const { checkPasscode } = await import("../wallet/keystore");
      try {
        await checkPasscode(passcode);
      } catch (e) {
        // Counted like the unlock screen's tries (passcodeGuard): how many are left, or how long to wait.
        const { passcodeErrorText } = await import("../features/wallet/UnlockWallet");
        setReaskRefused(`${tp("reaskNothingPaid")} ${passcodeErrorText(e, tw)}`);
        return;
      }
      setPasscode("");
    }
    await send(props.write, { onSent: props.onSent, onConfirmed: props.onConfirmed });
  };

  // Move focus to the outcome so screen-reader and keyboard users hear it without hunting.
  useEffect(() => {
    if (state.stage === "confirmed" || state.stage === "failed") statusRef.current?.focus();
  }, [state.stage]);
  // Asked for the fingerprint a second time: the reason must be in sight, not under the fold.
  const askedAgain = state.stage === "signing" && state.again !== undefined;
  useEffect(() => {
    if (askedAgain) statusRef.current?.scrollIntoView({ block: "center" });
  }, [askedAgain]);

  const canSend = state.stage === "review";
  return (
    <section className="tx-confirm" aria-labelledby="tx-confirm-title">
      <h2 id="tx-confirm-title">{props.title ?? t("reviewTitle")}</h2>
      <dl className="tx-summary">
        {props.summary.map((line) => (
          <div key={line.label} className="tx-summary-row">
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      {reask && canSend && <ReaskNotice reask={reask} passcode={passcode} onPasscode={setPasscode} />}
      {reaskRefused && (
        <p className="error" role="alert">
          {reaskRefused}
        </p>
      )}
      <div ref={statusRef} tabIndex={-1} className="tx-status" role="status" aria-live="polite">
        <TxProgress state={state} revertReasons={props.revertReasons} payment={props.payment === true} />
      </div>
      <div className="button-row">
        {canSend && (
          <button type="button" className="primary big" onClick={() => void confirm()}>
            {props.confirmLabel ?? (props.payment ? t("confirmPayment") : t("confirm"))}
          </button>
        )}
        {state.stage === "failed" && !state.hash && (
          <button type="button" className="primary" onClick={reset}>
            {tc("retry")}
          </button>
        )}
        {state.stage === "confirmed" && props.onDone && (
          <button type="button" className="primary big" onClick={props.onDone}>
            {tc("done")}
          </button>
        )}
        {!busy && state.stage !== "confirmed" && props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {tc("cancel")}
          </button>
        )}
      </div>
    </section>
  );
}

function TxProgress({
  state,
  revertReasons,
  payment,
}: {
  state: TxStage;
  revertReasons?: RevertReasons;
  payment: boolean;
}) {
  const t = useT(txMessages);
  const failureText = useTxFailureText();
  switch (state.stage) {
    case "review":
      return null;
    case "checking":
      return <p className="progress">{t("stepChecking")}</p>;
    case "signing":
      return <p className="progress">{state.again ? t("stepSigningAgainAccountOpened") : t("stepSigning")}</p>;
    case "sent":
      return (
        <>
          <p className="progress">{state.nodeUnreachable ? t("stepWaitingNode") : t("stepSent")}</p>
          <TxDetails hash={state.hash} />
        </>
      );
    case "confirmed":
      return (
        <>
          <p className="success">
            <span aria-hidden="true">✓ </span>
            <span className="tx-outcome">{payment ? t("stepPaid") : t("stepConfirmed")}</span>
          </p>
          <TxDetails hash={state.hash} />
        </>
      );
    case "failed": {
      const f = state.failure;
      const reason = failureText(f, revertReasons);
      const technical = f.kind === "reverted" ? f.errorName : "message" in f ? String(f.message) : undefined;
      return (
        <div className="error" role="alert">
          <p>
            <strong>
              <span aria-hidden="true">⚠ </span>
              {t("failedTitle")}
            </strong>
          </p>
          <p>{reason}</p>
          {!state.hash && f.kind !== "cancelled" && f.kind !== "network" && <p>{t("failedNothingSent")}</p>}
          {f.kind === "reverted" && f.errorName === NOT_VERIFIED && (
            // The city pays no fee for an account nobody verified (server/src/sponsorship/quotas.ts):
            // the way to 实名认证 is right here; after it, 重试 sends the same operation.
            <p>
              <a className="button primary big" href="#/identity" data-testid="go-verify">
                {t("goVerify")}
              </a>
            </p>
          )}
          {(state.hash || technical) && <TxDetails hash={state.hash} technical={technical} />}
        </div>
      );
    }
  }
}

/** The technical detail, one tap away (详情): the transaction number and any raw error. */
function TxDetails({ hash, technical }: { hash?: Hash; technical?: string }) {
  const t = useT(txMessages);
  return (
    <details className="tx-details">
      <summary>{t("details")}</summary>
      <p className="hint">{t("detailsHint")}</p>
      {hash && (
        <p className="tx-hash">
          {t("txHash")}: <code title={hash}>{hash}</code>
        </p>
      )}
      {technical && (
        <p className="tx-hash">
          <code>{technical}</code>
        </p>
      )}
    </details>
  );
}
