// The audit check in the page: replays every event from the deployment block against the
// contracts' own figures (the same module as `npm run audit`), with progress, a clear pass or
// the first mismatch, and every item grouped so an auditor can see what was proven.

import {
  CHECK_GROUPS,
  checkGroup,
  describeCheck,
  describeCoverage,
  describeEscrows,
  describeMismatch,
  formatFigure,
} from "@core/audit/describe";
import { type AuditProgress, type AuditReport, runAudit } from "@core/audit/runAudit";
import { useState } from "react";
import { deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";
import { ledgerMessages } from "../../i18n/messages/ledger";
import { useLang, useT } from "../../i18n/useT";

type State =
  | { stage: "idle" }
  | { stage: "running"; progress?: AuditProgress }
  | { stage: "done"; report: AuditReport }
  | { stage: "error"; message: string };

export function AuditPanel() {
  const t = useT(ledgerMessages);
  const lang = useLang();
  const [state, setState] = useState<State>({ stage: "idle" });

  const run = async () => {
    if (!deployment) return;
    setState({ stage: "running" });
    try {
      const report = await runAudit({
        rpcUrl: rpcHttpUrl,
        contracts: deployment.contracts,
        deployBlock: deployment.deployBlock,
        onProgress: (progress) => setState({ stage: "running", progress }),
      });
      setState({ stage: "done", report });
    } catch (error) {
      setState({ stage: "error", message: error instanceof Error ? error.message : String(error) });
    }
  };

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

  return (
    <section className="card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("auditTitle")}</h2>
      <p>{t("auditIntro")}</p>
      <button type="button" className="primary" onClick={() => void run()} disabled={state.stage === "running"}>
        {state.stage === "running" ? t("auditRunning") : state.stage === "idle" ? t("auditRun") : t("auditAgain")}
      </button>
      <div className="audit-outcome" role="status" aria-live="polite">
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
        {state.stage === "error" && (
          <p className="error audit-result" data-result="error">
            {t("auditError", { message: state.message })}
          </p>
        )}
        {state.stage === "done" &&
          (state.report.ok ? (
            <p className="success audit-result" data-result="pass">
              <span aria-hidden="true">✓ </span>
              {t("auditPass", {
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
