// Every way a checkpoint is refused, said in both languages with its figures (the ledger page shows
// describeRefusal's sentence): each refusal is produced by verifyCheckpoint itself, not built by hand.
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  type AuditCheckpoint,
  type CheckpointRefusal,
  CheckpointRefused,
  replayFromJson,
  signCheckpoint,
  verifyCheckpoint,
} from "../../core/audit/checkpoint.js";
import { describeRefusal } from "../../core/audit/describe.js";

const CITY_YUAN = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
const HASH = `0x${"11".repeat(32)}` as Hex;
const OTHER_HASH = `0x${"22".repeat(32)}` as Hex;
const key = generatePrivateKey();
const auditor = privateKeyToAccount(key).address;
const escrow = { funded: "0", paidOut: "0", returned: "0", rescued: "0", created: 0, remaining: [] };

async function checkpoint(): Promise<AuditCheckpoint> {
  return signCheckpoint(privateKeyToAccount(key), {
    chainId: 31337,
    cityYuan: CITY_YUAN,
    replay: replayFromJson({
      eventCount: 2,
      balances: [["0x976ea74026e726554db657fa54763abd0c3a0aa9", "4200"]],
      issued: "4200",
      redeemed: "0",
      minted: "4200",
      burned: "0",
      redPacket: escrow,
      vouchers: escrow,
      delayed: escrow,
    }),
    block: 50n,
    blockHash: HASH,
  });
}

async function refusal(
  file: unknown,
  options: Partial<Parameters<typeof verifyCheckpoint>[1]> = {},
): Promise<CheckpointRefused> {
  const error = await verifyCheckpoint(file as AuditCheckpoint, {
    chainId: 31337,
    cityYuan: CITY_YUAN,
    trustedAuditor: auditor,
    blockHashAt: async () => HASH,
    head: 60n,
    ...options,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointRefused);
  return error as CheckpointRefused;
}

describe("a refused checkpoint in words", () => {
  it("says every reason in zh and en with its figures and no placeholder left", async () => {
    const good = await checkpoint();
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    const changed = structuredClone(good);
    changed.replay.balances[0] = ["0x976ea74026e726554db657fa54763abd0c3a0aa9", "4300"];
    const cases: [CheckpointRefusal, CheckpointRefused, string[]][] = [
      ["malformed", await refusal(null), []],
      ["olderVersion", await refusal({ ...good, version: 1 }), []],
      ["otherLedger", await refusal(good, { chainId: 1 }), ["31337", CITY_YUAN]],
      ["badSignature", await refusal({ ...good, signature: "0x1234" }), []],
      ["untrustedSigner", await refusal(good, { trustedAuditor: stranger }), [auditor, stranger]],
      ["stateChanged", await refusal(changed), ["totalSupply"]],
      ["beyondHead", await refusal(good, { head: 40n }), ["50", "40"]],
      ["chainDiffers", await refusal(good, { blockHashAt: async () => OTHER_HASH }), ["50", OTHER_HASH, HASH]],
    ];
    for (const [reason, refused, figures] of cases) {
      expect(refused.reason).toBe(reason);
      const zh = describeRefusal(refused, "zh");
      const en = describeRefusal(refused, "en");
      expect(zh, reason).toMatch(/^签名检查点被拒绝：.+。没有从它核对任何内容；可以做一次完整重放。$/);
      expect(en, reason).toMatch(
        /^Signed checkpoint refused: .+\. Nothing was audited from it; you can run a full replay\.$/,
      );
      for (const text of [zh, en]) {
        expect(text, reason).not.toMatch(/\{\w+\}/);
        for (const figure of figures) expect(text, `${reason}: ${figure}`).toContain(figure);
      }
    }
  });

  it("says a block the chain no longer has is missing", async () => {
    const refused = await refusal(await checkpoint(), { blockHashAt: async () => undefined });
    expect(describeRefusal(refused, "en")).toContain(`the chain has no block 50, but the checkpoint saw ${HASH}`);
    expect(describeRefusal(refused, "zh")).toContain(`链上没有区块 50，检查点记录的是 ${HASH}`);
  });
});
