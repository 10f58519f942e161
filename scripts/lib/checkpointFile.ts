// A signed audit checkpoint on disk, as `npm run audit` and the local auditor keep it: written
// whole beside the old one, then renamed over it, so a reader (the city service publishes the
// file) never sees half a file.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import type { LocalAccount } from "viem/accounts";
import { signCheckpoint } from "../../core/audit/checkpoint.js";
import type { AuditReport } from "../../core/audit/runAudit.js";

/** Signs what a passing audit of CityYuan `cityYuan` on `chainId` proved and stores it at `file`
 * (its directory made if missing). */
export async function storeSignedCheckpoint(
  signer: LocalAccount,
  ledger: { chainId: number; cityYuan: Address },
  report: Pick<AuditReport, "replay" | "block" | "blockHash">,
  file: string,
): Promise<void> {
  const { replay, block, blockHash } = report;
  const signed = await signCheckpoint(signer, { ...ledger, replay, block, blockHash });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(signed, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
}
