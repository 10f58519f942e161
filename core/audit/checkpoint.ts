// Signed audit checkpoints: after an audit passes, the auditor signs what it proved at that block
// (its hash, the supply, issued, redeemed, what each escrow owes, a Merkle root of every balance and a
// hash of the rest of the replayed state) and stores it with the replayed state. The next audit
// verifies the checkpoint (the signer is the auditor it trusts, the figures match their signature,
// the chain still has that block) and replays only the events after it. A checkpoint that does not
// match the chain (a reorg, another chain, a changed file, another signer) is refused, in words.
//
// The balances root is an OpenZeppelin-compatible Merkle root (leaves are
// keccak256(keccak256(abi.encode(address, uint256))), pairs hashed in sorted order), so a resident's
// balance at a checkpoint can be proven with `MerkleProof.verify` against the signed root.
import {
  type Address,
  bytesToHex,
  type Hex,
  hexToBytes,
  keccak256,
  type LocalAccount,
  padHex,
  recoverTypedDataAddress,
  stringToHex,
} from "viem";
import { keccak256Short } from "./keccak.js";
import { type EscrowReplay, escrowHolds, type LedgerReplay } from "./replay.js";

/** The replayed state, in JSON: every bigint as a decimal string. */
interface EscrowJson {
  funded: string;
  paidOut: string;
  returned: string;
  rescued: string;
  created: number;
  remaining: [string, string][];
}

export interface ReplayJson {
  eventCount: number;
  balances: [string, string][];
  issued: string;
  redeemed: string;
  minted: string;
  burned: string;
  redPacket: EscrowJson;
  vouchers: EscrowJson;
  delayed: EscrowJson;
  latestAttestation?: { attestationId: string; reserves: string; redeemedAtAttestation: string };
}

/** What the auditor signs (EIP-712, domain: this chain and this CityYuan). */
export interface CheckpointClaim {
  block: bigint;
  blockHash: Hex;
  eventCount: bigint;
  totalSupply: bigint;
  totalIssued: bigint;
  totalRedeemed: bigint;
  redPacketOwed: bigint;
  vouchersOwed: bigint;
  delayedOwed: bigint;
  balancesRoot: Hex;
  stateHash: Hex;
}

export interface AuditCheckpoint {
  /** 2 since delayed transfers are audited (a version-1 checkpoint lacks their escrow). */
  version: 2;
  chainId: number;
  cityYuan: Address;
  auditor: Address;
  claim: Record<keyof CheckpointClaim, string>;
  signature: Hex;
  replay: ReplayJson;
}

const CLAIM_TYPES = {
  Checkpoint: [
    { name: "block", type: "uint256" },
    { name: "blockHash", type: "bytes32" },
    { name: "eventCount", type: "uint256" },
    { name: "totalSupply", type: "uint256" },
    { name: "totalIssued", type: "uint256" },
    { name: "totalRedeemed", type: "uint256" },
    { name: "redPacketOwed", type: "uint256" },
    { name: "vouchersOwed", type: "uint256" },
    { name: "delayedOwed", type: "uint256" },
    { name: "balancesRoot", type: "bytes32" },
    { name: "stateHash", type: "bytes32" },
  ],
} as const;

function domain(chainId: number, cityYuan: Address) {
  return { name: "Hefei City Yuan audit checkpoint", version: "1", chainId, verifyingContract: cityYuan } as const;
}

const ZERO_HASH = padHex("0x", { size: 32 });

function escrowJson(escrow: EscrowReplay): EscrowJson {
  return {
    funded: escrow.funded.toString(),
    paidOut: escrow.paidOut.toString(),
    returned: escrow.returned.toString(),
    rescued: escrow.rescued.toString(),
    created: escrow.created,
    remaining: [...escrow.remaining]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, v]) => [id.toString(), v.toString()]),
  };
}

function escrowOf(json: EscrowJson): EscrowReplay {
  return {
    funded: BigInt(json.funded),
    paidOut: BigInt(json.paidOut),
    returned: BigInt(json.returned),
    rescued: BigInt(json.rescued),
    created: json.created,
    remaining: new Map(json.remaining.map(([id, v]) => [BigInt(id), BigInt(v)])),
  };
}

/** Everything in the replay's canonical JSON but the balances, in the same key order. */
function restToJson(replay: LedgerReplay): Omit<ReplayJson, "balances"> {
  const latest = replay.latestAttestation;
  return {
    eventCount: replay.eventCount,
    issued: replay.issued.toString(),
    redeemed: replay.redeemed.toString(),
    minted: replay.minted.toString(),
    burned: replay.burned.toString(),
    redPacket: escrowJson(replay.redPacket),
    vouchers: escrowJson(replay.vouchers),
    delayed: escrowJson(replay.delayed),
    ...(latest && {
      latestAttestation: {
        attestationId: latest.attestationId.toString(),
        reserves: latest.reserves.toString(),
        redeemedAtAttestation: latest.redeemedAtAttestation.toString(),
      },
    }),
  };
}

/** The replay as canonical JSON (balances sorted by address, ids ascending). */
export function replayToJson(replay: LedgerReplay): ReplayJson {
  const { eventCount, ...rest } = restToJson(replay);
  return {
    eventCount,
    balances: [...replay.balances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, v]) => [a, v.toString()]),
    ...rest,
  };
}

export function replayFromJson(json: ReplayJson): LedgerReplay {
  const latest = json.latestAttestation;
  return {
    eventCount: json.eventCount,
    balances: new Map(json.balances.map(([a, v]) => [a.toLowerCase(), BigInt(v)])),
    issued: BigInt(json.issued),
    redeemed: BigInt(json.redeemed),
    minted: BigInt(json.minted),
    burned: BigInt(json.burned),
    redPacket: escrowOf(json.redPacket),
    vouchers: escrowOf(json.vouchers),
    delayed: escrowOf(json.delayed),
    ...(latest && {
      latestAttestation: {
        attestationId: BigInt(latest.attestationId),
        reserves: BigInt(latest.reserves),
        redeemedAtAttestation: BigInt(latest.redeemedAtAttestation),
      },
    }),
  };
}

// The root is recomputed over every balance whenever a checkpoint is signed or verified (200,000
// accounts: 600,000 hashes), so it works on one buffer of 32-byte hashes with no hex strings, no
// per-leaf arrays and the short-input keccak of keccak.ts (viem's took about 11 µs a hash here, 4
// times as long: 200,000 accounts took 6.4 s on an idle machine and 58 s under load). Each level
// of pairs is written over the level below it in the same buffer.

/** The value of one hex digit (0-9, a-f, A-F). */
function nibble(code: number): number {
  return code <= 57 ? code - 48 : (code | 32) - 87;
}

/** The 20 bytes of a lower-case or checksummed address, at `offset` of `into`. */
function writeAddress(into: Uint8Array, offset: number, account: string) {
  for (let i = 0; i < 20; i++) {
    into[offset + i] = (nibble(account.charCodeAt(2 + 2 * i)) << 4) | nibble(account.charCodeAt(3 + 2 * i));
  }
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A uint256, big-endian, in the 32 bytes at `offset` of `into` (zero for a value ≤ 0). */
function writeUint256(into: Uint8Array, offset: number, value: bigint) {
  into.fill(0, offset, offset + 32);
  if (value <= 0n) return;
  if (value <= SAFE) {
    // Balances are fen: far below 2^53 in practice, so no BigInt arithmetic per byte.
    let rest = Number(value);
    for (let i = 31; rest > 0; i--) {
      into[offset + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return;
  }
  let rest = value;
  for (let i = 31; i >= 0 && rest > 0n; i--) {
    into[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Compares the 32-byte hashes at `a` and `b` (offsets) of `hashes`, as unsigned big-endian numbers. */
function compareAt(hashes: Uint8Array, a: number, b: number): number {
  for (let i = 0; i < 32; i++) {
    const d = hashes[a + i] - hashes[b + i];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The leaves of the last root computed, by account. An audit that continues from a checkpoint
 * verifies it (every leaf) and then signs the next one, and between the two only the accounts the
 * new events moved have other balances: their leaves are hashed again, the others are taken from
 * here, which saves two of the three hashes per account when signing.
 */
let lastLeaves: { index: Map<string, number>; balances: bigint[]; hashes: Uint8Array } | undefined;

/**
 * The Merkle root of every non-zero balance (zero hash when there is none). Leaves are
 * keccak256(keccak256(abi.encode(address, uint256))), OpenZeppelin's standard leaf, sorted;
 * each level pairs neighbours (keccak256 of the two hashes in sorted order, as MerkleProof pairs
 * them) and carries an odd last one up.
 */
export function balancesRoot(balances: Map<string, bigint>): Hex {
  let count = 0;
  for (const balance of balances.values()) if (balance !== 0n) count++;
  if (count === 0) return ZERO_HASH;
  const leaves = new Uint8Array(count * 32);
  const encoded = new Uint8Array(64);
  const inner = new Uint8Array(32);
  const last = lastLeaves;
  const index = new Map<string, number>();
  const leafBalances: bigint[] = new Array(count);
  let n = 0;
  for (const [account, balance] of balances) {
    if (balance === 0n) continue;
    const before = last?.index.get(account);
    if (last && before !== undefined && last.balances[before] === balance) {
      // The same account with the same balance: the same leaf (a pure function of the two).
      leaves.set(last.hashes.subarray(before * 32, before * 32 + 32), n * 32);
    } else {
      writeAddress(encoded, 12, account);
      writeUint256(encoded, 32, balance);
      keccak256Short(encoded, 0, 64, inner, 0);
      keccak256Short(inner, 0, 32, leaves, n * 32);
    }
    index.set(account, n);
    leafBalances[n] = balance;
    n++;
  }
  lastLeaves = { index, balances: leafBalances, hashes: leaves };
  // Sort the leaves: by their first four bytes (one number each), the rest only on a tie.
  const head = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const p = i * 32;
    head[i] = ((leaves[p] << 24) | (leaves[p + 1] << 16) | (leaves[p + 2] << 8) | leaves[p + 3]) >>> 0;
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const sortedOrder = Array.from(order).sort((a, b) => head[a] - head[b] || compareAt(leaves, a * 32, b * 32));
  const level = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) level.set(leaves.subarray(sortedOrder[i] * 32, sortedOrder[i] * 32 + 32), i * 32);
  const pair = new Uint8Array(64);
  let width = count;
  while (width > 1) {
    let next = 0;
    for (let i = 0; i < width; i += 2) {
      const a = i * 32;
      if (i + 1 === width) {
        level.copyWithin(next * 32, a, a + 32);
      } else if (compareAt(level, a, a + 32) < 0) {
        // Already in order side by side: hash them where they lie (the output is written after
        // the input is absorbed, so writing over the pair below is safe).
        keccak256Short(level, a, 64, level, next * 32);
      } else {
        pair.set(level.subarray(a + 32, a + 64), 0);
        pair.set(level.subarray(a, a + 32), 32);
        keccak256Short(pair, 0, 64, level, next * 32);
      }
      next++;
    }
    width = next;
  }
  return bytesToHex(level.subarray(0, 32));
}

/** keccak256 of the canonical JSON of everything but the balances (those have their own root). */
export function stateHash(json: ReplayJson | Omit<ReplayJson, "balances">): Hex {
  const { balances: _balances, ...rest } = json as ReplayJson;
  return keccak256(stringToHex(JSON.stringify(rest)));
}

/** The claim a replay at `block` (whose hash is `blockHash`) supports. */
export function claimOf(replay: LedgerReplay, block: bigint, blockHash: Hex): CheckpointClaim {
  let supply = 0n;
  for (const balance of replay.balances.values()) supply += balance;
  return {
    block,
    blockHash,
    eventCount: BigInt(replay.eventCount),
    totalSupply: supply,
    totalIssued: replay.issued,
    totalRedeemed: replay.redeemed,
    redPacketOwed: escrowHolds(replay.redPacket),
    vouchersOwed: escrowHolds(replay.vouchers),
    delayedOwed: escrowHolds(replay.delayed),
    balancesRoot: balancesRoot(replay.balances),
    // Not replayToJson: that would sort and print every balance only to leave them out.
    stateHash: stateHash(restToJson(replay)),
  };
}

function claimJson(claim: CheckpointClaim): Record<keyof CheckpointClaim, string> {
  return Object.fromEntries(Object.entries(claim).map(([k, v]) => [k, String(v)])) as Record<
    keyof CheckpointClaim,
    string
  >;
}

function claimFromJson(json: Record<keyof CheckpointClaim, string>): CheckpointClaim {
  return {
    block: BigInt(json.block),
    blockHash: json.blockHash as Hex,
    eventCount: BigInt(json.eventCount),
    totalSupply: BigInt(json.totalSupply),
    totalIssued: BigInt(json.totalIssued),
    totalRedeemed: BigInt(json.totalRedeemed),
    redPacketOwed: BigInt(json.redPacketOwed),
    vouchersOwed: BigInt(json.vouchersOwed),
    delayedOwed: BigInt(json.delayedOwed),
    balancesRoot: json.balancesRoot as Hex,
    stateHash: json.stateHash as Hex,
  };
}

/** Signs what a passing audit proved at `block`. */
export async function signCheckpoint(
  auditor: LocalAccount,
  options: { chainId: number; cityYuan: Address; replay: LedgerReplay; block: bigint; blockHash: Hex },
): Promise<AuditCheckpoint> {
  const claim = claimOf(options.replay, options.block, options.blockHash);
  const signature = await auditor.signTypedData({
    domain: domain(options.chainId, options.cityYuan),
    types: CLAIM_TYPES,
    primaryType: "Checkpoint",
    message: claim,
  });
  return {
    version: 2,
    chainId: options.chainId,
    cityYuan: options.cityYuan,
    auditor: auditor.address,
    claim: claimJson(claim),
    signature,
    replay: replayToJson(options.replay),
  };
}

/**
 * The file a deployment's latest checkpoint is kept in, inside the checkpoints directory: the one
 * `npm run audit` writes and the city service publishes (GET /api/v1/audit/checkpoints/latest).
 */
export function checkpointFileName(chainId: number, cityYuan: Address): string {
  return `checkpoint-${chainId}-${cityYuan.toLowerCase()}.json`;
}

/** Why a checkpoint was refused; `message` says it in English, the code picks the words elsewhere. */
export type CheckpointRefusal =
  | "malformed"
  | "olderVersion"
  | "otherLedger"
  | "untrustedSigner"
  | "badSignature"
  | "stateChanged"
  | "chainDiffers"
  | "beyondHead";

export class CheckpointRefused extends Error {
  constructor(
    readonly reason: CheckpointRefusal,
    message: string,
    /** The figures the reason names (signer, block, hashes …), for saying it in other words (describe.ts). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "CheckpointRefused";
  }
}

export interface VerifyCheckpointOptions {
  chainId: number;
  cityYuan: Address;
  /** The auditor whose checkpoints this audit trusts. */
  trustedAuditor: Address;
  /** The chain's hash of a block (undefined when the chain does not have it). */
  blockHashAt: (block: bigint) => Promise<Hex | undefined>;
  /** The block the audit runs to: a checkpoint beyond it cannot be continued from. */
  head: bigint;
}

/** The replay the checkpoint proves and its block, or CheckpointRefused saying why not. */
export async function verifyCheckpoint(
  checkpoint: AuditCheckpoint,
  options: VerifyCheckpointOptions,
): Promise<{ replay: LedgerReplay; block: bigint }> {
  let claim: CheckpointClaim;
  let replay: LedgerReplay;
  try {
    if ((checkpoint.version as number) === 1)
      throw new CheckpointRefused(
        "olderVersion",
        "the checkpoint was made by an older audit that did not yet check delayed transfers: run once with --full",
      );
    if (checkpoint.version !== 2) throw new Error(`version ${checkpoint.version}`);
    if (typeof checkpoint.chainId !== "number" || typeof checkpoint.cityYuan !== "string")
      throw new Error("no chain id or CityYuan address");
    claim = claimFromJson(checkpoint.claim);
    replay = replayFromJson(checkpoint.replay);
    hexToBytes(checkpoint.signature);
  } catch (error) {
    if (error instanceof CheckpointRefused) throw error;
    throw new CheckpointRefused("malformed", `the checkpoint file cannot be read (${(error as Error).message})`, {
      problem: (error as Error).message,
    });
  }
  if (checkpoint.chainId !== options.chainId || checkpoint.cityYuan.toLowerCase() !== options.cityYuan.toLowerCase())
    throw new CheckpointRefused(
      "otherLedger",
      `the checkpoint is for CityYuan ${checkpoint.cityYuan} on chain ${checkpoint.chainId}, not ${options.cityYuan} on chain ${options.chainId}`,
      { cityYuan: String(checkpoint.cityYuan), chainId: String(checkpoint.chainId) },
    );
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      domain: domain(options.chainId, options.cityYuan),
      types: CLAIM_TYPES,
      primaryType: "Checkpoint",
      message: claim,
      signature: checkpoint.signature,
    });
  } catch {
    throw new CheckpointRefused("badSignature", "the checkpoint's signature cannot be read");
  }
  if (signer.toLowerCase() !== options.trustedAuditor.toLowerCase())
    throw new CheckpointRefused(
      "untrustedSigner",
      `the checkpoint was signed by ${signer}, not by the auditor this audit trusts (${options.trustedAuditor})`,
      { signer, trusted: options.trustedAuditor },
    );
  // The stored state must be the state that was signed: recompute both hashes and every figure.
  const again = claimOf(replay, claim.block, claim.blockHash);
  const differs = (Object.keys(claim) as (keyof CheckpointClaim)[]).find((key) => again[key] !== claim[key]);
  if (differs)
    throw new CheckpointRefused(
      "stateChanged",
      `the state stored with the checkpoint does not match what was signed (${differs}): the file was changed`,
      { field: differs },
    );
  if (claim.block > options.head)
    throw new CheckpointRefused(
      "beyondHead",
      `the checkpoint is at block ${claim.block}, beyond the block audited (${options.head})`,
      { block: claim.block.toString(), head: options.head.toString() },
    );
  const onChain = await options.blockHashAt(claim.block);
  if (onChain?.toLowerCase() !== claim.blockHash.toLowerCase())
    throw new CheckpointRefused(
      "chainDiffers",
      `the chain's block ${claim.block} is ${onChain ?? "missing"}, but the checkpoint saw ${claim.blockHash}: ` +
        "the chain was reorganised or reset since, or this is another chain",
      { block: claim.block.toString(), onChain: onChain ?? "", saw: claim.blockHash },
    );
  return { replay, block: claim.block };
}
