// The auditor's latest signed checkpoint, as the city service publishes it (GET
// /api/v1/audit/checkpoints/latest). Only fetched here: whether it is trusted is decided by
// verifyCheckpoint (core/audit/checkpoint.ts) against the auditor the dApp was built with.
import type { AuditCheckpoint } from "@core/audit/checkpoint";
import { serviceUrl } from "../../env";

export type PublishedCheckpoint =
  | { kind: "found"; file: AuditCheckpoint }
  /** The service answered that none is published yet. */
  | { kind: "none" }
  /** The service could not be reached or did not give one (its words, or the network's). */
  | { kind: "unavailable"; message: string };

export async function fetchPublishedCheckpoint(signal?: AbortSignal): Promise<PublishedCheckpoint> {
  let response: Response;
  try {
    // Public data: no cookie goes with it.
    response = await fetch(`${serviceUrl}/api/v1/audit/checkpoints/latest`, { credentials: "omit", signal });
  } catch (error) {
    return { kind: "unavailable", message: error instanceof Error ? error.message : String(error) };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { kind: "unavailable", message: `HTTP ${response.status}` };
  }
  if (response.status === 404 && (body as { error?: string } | null)?.error === "no_checkpoint")
    return { kind: "none" };
  if (!response.ok) {
    const message = (body as { message?: string } | null)?.message;
    return { kind: "unavailable", message: message ?? `HTTP ${response.status}` };
  }
  // Whatever it is, verifyCheckpoint reads it: a file that is not a checkpoint is refused as malformed.
  return { kind: "found", file: body as AuditCheckpoint };
}
