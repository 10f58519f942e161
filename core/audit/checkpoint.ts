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

/** The replay as canonical JSON (balances sorted by address, ids ascending). */
export function replayToJson(replay: LedgerReplay): ReplayJson {
  const latest = replay.latestAttestation;
  return {
    eventCount: replay.eventCount,
    balances: [...replay.balances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, v]) => [a, v.toString()]),
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

// The root is recomputed over every balance whenever a checkpoint is signed or verified, so it
// works on bytes: one 64-byte buffer per leaf and per pair, no hex strings in between (hex
// encoding and decoding took most of the time: about 0.5 ms per account on this machine before).

/** The 20 bytes of a lower-case or checksummed address, at `offset` of `into`. */
function writeAddress(into: Uint8Array, offset: number, account: string) {
  for (let i = 0; i < 20; i++) into[offset + i] = Number.parseInt(account.slice(2 + 2 * i, 4 + 2 * i), 16);
}

/** A uint256, big-endian, in the 32 bytes at `offset` of `into` (the rest of the word is zero). */
function writeUint256(into: Uint8Array, offset: number, value: bigint) {
  let rest = value;
  for (let i = 31; i >= 0 && rest > 0n; i--) {
    into[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** keccak256(keccak256(abi.encode(address, uint256))): OpenZeppelin's standard leaf. */
function balanceLeaf(account: string, balance: bigint): Uint8Array {
  const encoded = new Uint8Array(64);
  writeAddress(encoded, 12, account);
  writeUint256(encoded, 32, balance);
  return keccak256(keccak256(encoded, "bytes"), "bytes");
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** keccak256 of the two hashes in sorted order, as OpenZeppelin's MerkleProof pairs them. */
function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [first, second] = compareBytes(a, b) < 0 ? [a, b] : [b, a];
  pair.set(first, 0);
  pair.set(second, 32);
  return keccak256(pair, "bytes");
}

/** The Merkle root of every non-zero balance (zero hash when there is none). */
export function balancesRoot(balances: Map<string, bigint>): Hex {
  let level: Uint8Array[] = [];
  for (const [account, balance] of balances) if (balance !== 0n) level.push(balanceLeaf(account, balance));
  level.sort(compareBytes);
  if (level.length === 0) return ZERO_HASH;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? hashPair(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return bytesToHex(level[0]);
}

/** keccak256 of the canonical JSON of everything but the balances (those have their own root). */
export function stateHash(json: ReplayJson): Hex {
  const { balances: _balances, ...rest } = json;
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
    stateHash: stateHash(replayToJson(replay)),
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
    claim = claimFromJson(checkpoint.claim);
    replay = replayFromJson(checkpoint.replay);
    hexToBytes(checkpoint.signature);
  } catch (error) {
    if (error instanceof CheckpointRefused) throw error;
    throw new CheckpointRefused("malformed", `the checkpoint file cannot be read (${(error as Error).message})`);
  }
  if (checkpoint.chainId !== options.chainId || checkpoint.cityYuan.toLowerCase() !== options.cityYuan.toLowerCase())
    throw new CheckpointRefused(
      "otherLedger",
      `the checkpoint is for CityYuan ${checkpoint.cityYuan} on chain ${checkpoint.chainId}, not ${options.cityYuan} on chain ${options.chainId}`,
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
    );
  // The stored state must be the state that was signed: recompute both hashes and every figure.
  const again = claimOf(replay, claim.block, claim.blockHash);
  const differs = (Object.keys(claim) as (keyof CheckpointClaim)[]).find((key) => again[key] !== claim[key]);
  if (differs)
    throw new CheckpointRefused(
      "stateChanged",
      `the state stored with the checkpoint does not match what was signed (${differs}): the file was changed`,
    );
  if (claim.block > options.head)
    throw new CheckpointRefused(
      "beyondHead",
      `the checkpoint is at block ${claim.block}, beyond the block audited (${options.head})`,
    );
  const onChain = await options.blockHashAt(claim.block);
  if (onChain?.toLowerCase() !== claim.blockHash.toLowerCase())
    throw new CheckpointRefused(
      "chainDiffers",
      `the chain's block ${claim.block} is ${onChain ?? "missing"}, but the checkpoint saw ${claim.blockHash}: ` +
        "the chain was reorganised or reset since, or this is another chain",
    );
  return { replay, block: claim.block };
}
