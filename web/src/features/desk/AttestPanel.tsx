// Publishing a reserve attestation: the reserves held at the bank, the hash of the auditor's
// report (given as a 32-byte hash, or as the report's text which is hashed here) and its URL. Above
// the form: when the latest attestation was published and until when it allows issuing (by the
// chain's clock), so the attester sees when a fresh report is due.

import { parseYuan } from "@core/money";
import { useState } from "react";
import { type Hex, keccak256, stringToHex } from "viem";
import { useBlock, useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { moneyMessages } from "../../i18n/messages/money";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard } from "./ActionCard";
import type { DeskRole } from "./useDeskRoles";

export function AttestPanel({ roles }: { roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const tm = useT(moneyMessages);
  const f = useFormat();
  const clock = useReadContracts({
    contracts: [
      { ...cityYuan, functionName: "latestAttestationTime", chainId: cityChain.id },
      { ...cityYuan, functionName: "maxReportAge", chainId: cityChain.id },
    ],
    allowFailure: false,
  });
  const [attestedAt, maxReportAge] = clock.data ?? [];
  const block = useBlock({ chainId: cityChain.id, watch: true });
  const now = block.data?.timestamp ?? BigInt(Math.floor(Date.now() / 1000));
  const until = attestedAt !== undefined && maxReportAge !== undefined ? attestedAt + maxReportAge : undefined;
  const reportState =
    attestedAt === undefined || until === undefined
      ? undefined
      : attestedAt === 0n
        ? { stale: true, text: t("noReport") }
        : now > until
          ? { stale: true, text: t("reportTooOld", { until: f.chainTime(until) }) }
          : {
              stale: false,
              text: t("reportValidUntil", { attested: f.chainTime(attestedAt), until: f.chainTime(until) }),
            };
  const [reserves, setReserves] = useState("");
  const [report, setReport] = useState("");
  const [uri, setUri] = useState("");
  const [touched, setTouched] = useState(false);
  const token = cityYuan;
  const parsed = parseYuan(reserves);
  const reportHash: Hex | undefined =
    report.trim() === ""
      ? undefined
      : /^0x[0-9a-fA-F]{64}$/.test(report.trim())
        ? (report.trim() as Hex)
        : keccak256(stringToHex(report));
  const uriOk = /^https?:\/\/\S+$/.test(uri.trim());
  return (
    <ActionCard
      id="desk-attest"
      title={t("attestTitle")}
      requiredRole="attester"
      roles={roles}
      onConfirmed={() => void clock.refetch()}
    >
      {(request) => (
        <>
          {reportState && <p className={reportState.stale ? "error report-age" : "report-age"}>{reportState.text}</p>}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              if (!parsed.ok || !reportHash || !uriOk) return;
              request({
                label: t("attestTitle"),
                write: contractWrite({
                  ...token,
                  functionName: "attestReserves",
                  args: [parsed.fen, reportHash, uri.trim()],
                }),
                summary: [
                  { label: t("reserves"), value: <Money fen={parsed.fen} /> },
                  { label: t("reportHash"), value: <code>{reportHash}</code> },
                  { label: t("reportUri"), value: uri.trim() },
                ],
              });
            }}
          >
            <label htmlFor="attest-reserves">{t("reserves")}</label>
            <input
              id="attest-reserves"
              inputMode="decimal"
              value={reserves}
              onChange={(e) => setReserves(e.target.value)}
              aria-invalid={touched && !parsed.ok}
            />
            {touched && !parsed.ok && <p className="error">{tm(parsed.error)}</p>}
            <label htmlFor="attest-report">{t("reportHash")}</label>
            <textarea
              id="attest-report"
              value={report}
              onChange={(e) => setReport(e.target.value)}
              aria-invalid={touched && !reportHash}
            />
            {touched && !reportHash && <p className="error">{t("required")}</p>}
            <label htmlFor="attest-uri">{t("reportUri")}</label>
            <input
              id="attest-uri"
              type="url"
              value={uri}
              onChange={(e) => setUri(e.target.value)}
              aria-invalid={touched && !uriOk}
            />
            {touched && !uriOk && <p className="error">{t("required")}</p>}
            <button type="submit" className="primary">
              {t("attest")}
            </button>
          </form>
        </>
      )}
    </ActionCard>
  );
}
