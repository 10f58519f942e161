// The city's signed audit checkpoints, published read-only (issue 24): GET
// /api/v1/audit/checkpoints/latest answers the latest checkpoint of this deployment exactly as the
// auditor's `npm run audit` wrote it (core/audit/checkpoint.ts). A checkpoint is public data: the
// ledger's state at a block and the auditor's signature over it. The service only hands the file on
// and vouches for nothing: the ledger page trusts the auditor address it was built with, never one
// the service names, and verifies the signature, the stored state and the block's hash itself, so a
// service that changed or swapped the file is refused in the browser.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Address } from "viem";
import { checkpointFileName } from "../../../core/audit/checkpoint.js";
import { ApiError } from "../errors.js";
import type { AppDeps } from "../http.js";

/** Where the latest checkpoint's text comes from (undefined: none published yet). */
export interface CheckpointShelf {
  /** The checkpoint's JSON text; throws CheckpointUnreadable when the file is there but not JSON. */
  latest(): Promise<string | undefined>;
}

export class CheckpointUnreadable extends Error {}

/**
 * The checkpoint file `npm run audit` keeps for this deployment in `directory`, read again only when
 * it changed (size or time), so a busy ledger page does not read a large file per request.
 */
export function fileCheckpointShelf(directory: string, chainId: number, cityYuan: Address): CheckpointShelf {
  const file = path.join(directory, checkpointFileName(chainId, cityYuan));
  let cached: { stamp: string; text: string } | undefined;
  return {
    async latest() {
      let stamp: string;
      try {
        const info = await stat(file);
        stamp = `${info.mtimeMs}:${info.size}`;
      } catch {
        cached = undefined;
        return undefined;
      }
      if (cached?.stamp === stamp) return cached.text;
      // The auditor replaces the file by renaming a finished one over it, so a read is never half a file.
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        JSON.parse(text);
      } catch {
        throw new CheckpointUnreadable(`${file} is not JSON`);
      }
      cached = { stamp, text };
      return text;
    },
  };
}

const Figure = z.string().openapi({ description: "A whole number in decimal (fen, a count or a block number)" });
const Hash = z.string().openapi({ example: "0x5e1f…", description: "32 bytes in hex" });

const EscrowState = z
  .object({
    funded: Figure,
    paidOut: Figure,
    returned: Figure,
    rescued: Figure,
    created: z.number().int(),
    remaining: z.array(z.tuple([Figure, Figure])).openapi({ description: "[id, fen still held] per open item" }),
  })
  .openapi("AuditEscrowState");

export const AuditCheckpointSchema = z
  .object({
    version: z.literal(2),
    chainId: z.number().int(),
    cityYuan: z.string(),
    auditor: z.string().openapi({ description: "Who signed it. Trust a checkpoint only if this is YOUR auditor." }),
    claim: z
      .object({
        block: Figure,
        blockHash: Hash,
        eventCount: Figure,
        totalSupply: Figure,
        totalIssued: Figure,
        totalRedeemed: Figure,
        redPacketOwed: Figure,
        vouchersOwed: Figure,
        delayedOwed: Figure,
        balancesRoot: Hash.openapi({ description: "Merkle root of every non-zero balance (OpenZeppelin leaves)" }),
        stateHash: Hash.openapi({ description: "keccak256 of the canonical JSON of the rest of the replay" }),
      })
      .openapi({ description: "What the auditor signed (EIP-712, domain: this chain and this CityYuan)" }),
    signature: z.string().openapi({ description: "The auditor's EIP-712 signature over `claim`" }),
    replay: z
      .object({
        eventCount: z.number().int(),
        balances: z.array(z.tuple([z.string(), Figure])).openapi({ description: "[address, fen], by address" }),
        issued: Figure,
        redeemed: Figure,
        minted: Figure,
        burned: Figure,
        redPacket: EscrowState,
        vouchers: EscrowState,
        delayed: EscrowState,
        latestAttestation: z
          .object({ attestationId: Figure, reserves: Figure, redeemedAtAttestation: Figure })
          .optional(),
      })
      .openapi({ description: "The replayed ledger at the block, which the claim's root and hash cover" }),
  })
  .openapi("AuditCheckpoint");

const ErrorBody = z.object({ error: z.string(), message: z.string() });

// biome-ignore lint/suspicious/noExplicitAny: registered on the merchant API's router, whatever its env.
export function auditCheckpointRoutes(api: OpenAPIHono<any>, deps: AppDeps): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/audit/checkpoints/latest",
      tags: ["Audit"],
      summary: "The latest signed audit checkpoint of this deployment (public, read-only)",
      description:
        "What the city's auditor signed after a passing audit: the block and its hash, supply, issued, redeemed, " +
        "what each escrow owes, a Merkle root of every balance, and the replayed state they cover. The service " +
        "hands the file on as the auditor wrote it and vouches for nothing: verify it (core/audit/checkpoint.ts " +
        "`verifyCheckpoint`) against the auditor YOU trust and your own node before continuing an audit from it. " +
        "No key or session needed.",
      responses: {
        200: { description: "The checkpoint", content: { "application/json": { schema: AuditCheckpointSchema } } },
        404: {
          description: "No checkpoint published yet (no_checkpoint)",
          content: { "application/json": { schema: ErrorBody } },
        },
        503: {
          description: "No deployment known, or the file cannot be read (no_deployment, checkpoint_unreadable)",
          content: { "application/json": { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const shelf = deps.auditCheckpoints;
      if (shelf === undefined) {
        throw new ApiError(503, "no_deployment", "The service knows no CityYuan deployment on this chain");
      }
      let text: string | undefined;
      try {
        text = await shelf.latest();
      } catch (error) {
        if (!(error instanceof CheckpointUnreadable)) throw error;
        throw new ApiError(503, "checkpoint_unreadable", "The published checkpoint file is not JSON");
      }
      if (text === undefined) {
        throw new ApiError(404, "no_checkpoint", "The auditor has not published a checkpoint of this ledger yet");
      }
      // As written, byte for byte: whoever reads it checks the signature over it, not this service.
      return c.body(text, 200, { "content-type": "application/json; charset=utf-8" }) as never;
    },
  );
}
