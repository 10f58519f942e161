// The audit check in the page (the same module as `npm run audit`). By default it continues from
// the auditor's latest signed checkpoint, published by the city service: the checkpoint is verified
// here, in the browser, against the auditor the dApp was built with (VITE_AUDITOR_ADDRESS, never one
// the service names), its stored state and this node's block hash, and only the events after it are
// read. A refused checkpoint is said in words and nothing is audited from it. "Full replay" replays
// every event from the deployment block, always. Progress, a clear pass or the first mismatch, and
// every item grouped so an auditor can see what was proven.

import { CheckpointRefused } from "@core/audit/checkpoint";
import {
  CHECK_GROUPS,
  checkGroup,
  describeCheck,
  describeCoverage,
  describeEscrows,
  describeMismatch,
  describeRefusal,
  formatFigure,
} from "@core/audit/describe";
import { type AuditProgress, type AuditReport, runAudit } from "@core/audit/runAudit";
import { useRef, useState } from "react";
import type { Address } from "viem";
import { deployment } from "../../contracts";
import { expectedChainId, rpcHttpUrl, trustedAuditor } from "../../env";
import { ledgerMessages } from "../../i18n/messages/ledger";
import { useLang, useT } from "../../i18n/useT";
import { fetchPublishedCheckpoint } from "./publishedCheckpoint";

/** Where an audit started: a verified checkpoint, or the deployment block and why. */
type Start =
  | { from: "checkpoint"; auditor: Address }
  | { from: "full"; why: "asked" | "noAuditor" | "noCheckpoint" | "serviceDown"; detail?: string };

type State =
  | { stage: "idle" }
  | { stage: "fetching" }
  | { stage: "running"; start: Start; progress?: AuditProgress }
  | { stage: "done"; start: Start; report: AuditReport }
  | { stage: "refused"; refusal: CheckpointRefused }
  | { stage: "error"; message: string };

export function AuditPanel() {
  const t = useT(ledgerMessages);
  const lang = useLang();
  const [state, setState] = useState<State>({ stage: "idle" });
  // A later click wins: an older run's progress or result never lands on the newer one.
  const runId = useRef(0);

  const audit = async (start: Start, checkpoint?: Parameters<typeof runAudit>[0]["checkpoint"]) => {
    if (!deployment) return;
    const id = ++runId.current;
    setState({ stage: "running", start });
    try {
      const report = await runAudit({
        rpcUrl: rpcHttpUrl,
        contracts: deployment.contracts,
        deployBlock: deployment.deployBlock,
        checkpoint,
        onProgress: (progress) => {
          if (runId.current === id) setState({ stage: "running", start, progress });
        },
      });
      if (runId.current === id) setState({ stage: "done", start, report });
    } catch (error) {
      if (runId.current !== id) return;
      if (error instanceof CheckpointRefused) setState({ stage: "refused", refusal: error });
      else setState({ stage: "error", message: error instanceof Error ? error.message : String(error) });
    }
  };

  const continueFromCheckpoint = async () => {
    if (!deployment) return;
    if (!trustedAuditor) return audit({ from: "full", why: "noAuditor" });
    const id = ++runId.current;
    setState({ stage: "fetching" });
    const published = await fetchPublishedCheckpoint();
    if (runId.current !== id) return;
    if (published.kind === "none") return audit({ from: "full", why: "noCheckpoint" });
    if (published.kind === "unavailable") return audit({ from: "full", why: "serviceDown", detail: published.message });
    return audit(
      { from: "checkpoint", auditor: trustedAuditor },
      { file: published.file, chainId: expectedChainId, trustedAuditor },
    );
  };

  const busy = state.stage === "running" || state.stage === "fetching";

  const progressText = (p: AuditProgress | undefined) => {
    if (!p) return t("auditRunning");
    switch (p.phase) {
      case "head":
        return t("progressHead", { block: p.block.toString() });
      case "logs":
        return t("progressLogs", { read: p.blocksRead.toString(), total: p.blocksTotal.toString(), events: p.events });
      case "figures":
        return t("progressFigures", { read: p.read, total: p.total });
      case "checking":
        return t("progressChecking", { events: p.events, accounts: p.accounts });
    }
  };

  /** What the finished audit started from, in a sentence. */
  const startText = (start: Start, report: AuditReport) => {
    if (start.from === "checkpoint")
      return t("auditContinued", {
        block: report.checkpointBlock?.toString() ?? "",
        auditor: start.auditor,
        events: report.eventCount,
        accounts: report.accountCount,
      });
    if (start.why === "noAuditor") return t("auditFullNoAuditor", { from: report.fromBlock.toString() });
    if (start.why === "noCheckpoint") return t("auditFullNoCheckpoint", { from: report.fromBlock.toString() });
    if (start.why === "serviceDown")
      return t("auditFullServiceDown", { from: report.fromBlock.toString(), message: start.detail ?? "" });
    return t("auditFullAsked", { from: report.fromBlock.toString() });
  };

  return (
    <section className="card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("auditTitle")}</h2>
      <p>{t("auditIntro")}</p>
      <p className="hint">{trustedAuditor ? t("auditTrusts", { auditor: trustedAuditor }) : t("auditTrustsNone")}</p>
      <div className="button-row">
        <button type="button" className="primary" onClick={() => void continueFromCheckpoint()} disabled={busy}>
          {busy ? t("auditRunning") : state.stage === "idle" ? t("auditRun") : t("auditAgain")}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void audit({ from: "full", why: "asked" })}
          disabled={busy}
        >
          {t("auditFullReplay")}
        </button>
      </div>
      <div className="audit-outcome" role="status" aria-live="polite">
        {state.stage === "fetching" && <p className="progress">{t("auditFetchingCheckpoint")}</p>}
        {state.stage === "running" && (
          <p className="progress">
            {progressText(state.progress)}
            {state.progress?.phase === "logs" && state.progress.blocksTotal > 0n && (
              <progress
                max={Number(state.progress.blocksTotal)}
                value={Number(state.progress.blocksRead)}
                aria-label={t("auditRunning")}
              />
            )}
          </p>
        )}
        {state.stage === "refused" && (
          <p className="error audit-result" data-result="refused" data-reason={state.refusal.reason}>
            <span aria-hidden="true">⚠ </span>
            {describeRefusal(state.refusal, lang)}
          </p>
        )}
        {state.stage === "error" && (
          <p className="error audit-result" data-result="error">
            {t("auditError", { message: state.message })}
          </p>
        )}
        {state.stage === "done" && (
          <p className="audit-start" data-start={state.start.from}>
            {startText(state.start, state.report)}
          </p>
        )}
        {state.stage === "done" &&
          (state.report.ok ? (
            <p className="success audit-result" data-result="pass">
              <span aria-hidden="true">✓ </span>
              {t(state.report.fromBlock > state.report.block ? "auditPassNothingNew" : "auditPass", {
                checks: state.report.checks.length,
                events: state.report.eventCount,
                accounts: state.report.accountCount,
                from: state.report.fromBlock.toString(),
                block: state.report.block.toString(),
                seconds: (state.report.timings.totalMs / 1000).toFixed(2),
              })}
            </p>
          ) : (
            state.report.firstMismatch && (
              <p className="error audit-result" data-result="mismatch">
                <span aria-hidden="true">⚠ </span>
                {describeMismatch(state.report.firstMismatch, lang)}
              </p>
            )
          ))}
      </div>
      {state.stage === "done" && (
        <ul className="audit-summary">
          {describeEscrows(state.report, lang).map((line) => (
            <li key={line}>{line}</li>
          ))}
          <li className={describeCoverage(state.report, lang).short ? "error" : undefined}>
            {describeCoverage(state.report, lang).text}
          </li>
        </ul>
      )}
      {state.stage === "done" && (
        <details>
          <summary>{t("auditItems")}</summary>
          {CHECK_GROUPS.map((group) => {
            const items = state.report.checks.filter((c) => checkGroup(c) === group);
            const passed = items.filter((c) => c.ok).length;
            return (
              <section key={group} aria-label={t(`group_${group}`)}>
                <h3>
                  {t(`group_${group}`)} — {t("groupCount", { passed, total: items.length })}
                </h3>
                <ul className="audit-items">
                  {items.map((c, i) => (
                    <li key={`${c.kind}:${c.subject ?? i}`} data-ok={c.ok}>
                      {c.ok ? "✓" : "✗"} {describeCheck(c, lang)}: {formatFigure(c, c.fromEvents)}
                      {!c.ok && ` ≠ ${formatFigure(c, c.fromContract)}`} ({c.ok ? t("itemPassed") : t("itemFailed")})
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </details>
      )}
    </section>
  );
}
