// Resident tickets for verified-residents red packets and residents-only voucher campaigns: a
// signed-in resident whose address belongs to a bank-verified identity (实名, server/src/identity)
// asks for a ticket for a packet or campaign that is open to residents on chain now; the service
// signs the contract's EIP-712 `ResidentTicket(packetId | campaignId, claimer, nullifier,
// deadline)` in the RedPacket or Vouchers domain (so bound to this chain and contract). The
// nullifier is a keyed hash of her identity and the packet or campaign: the same on every address
// she owns, never the same for two people (their cards may end in the same 4 digits), different
// for every packet and campaign, and it reveals nothing about her on chain. Asking is limited per
// account and per person (her addresses share one allowance).
import { createHmac } from "node:crypto";
import type { JsonRpcProvider } from "ethers";
import type { Hono } from "hono";
import {
  type Abi,
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  isAddress,
  keccak256,
  parseAbi,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deploymentFor, redPacketAbi, vouchersAbi } from "../../../generated/contracts.js";
import { RateLimiter } from "../auth/rateLimit.js";
import { ApiError, badField } from "../errors.js";
import { type AppDeps, type AppEnv, readJson, requireSession, type TicketTargetState } from "../http.js";
import { identityOf } from "../identity/identities.js";
import { onlyFields } from "../validate.js";

/** How long a ticket stays valid: enough to confirm the claim, too short to sell it on. */
const TICKET_LIFETIME_SECONDS = 10 * 60;
const LOCAL_CHAIN_ID = 31337;
/** The local chain's ticket key (its address is `ticketSigner` in ignition/parameters/localhost.json). */
const LOCAL_TICKET_KEY = keccak256(stringToHex("hefei local chain red-packet ticket signer"));

/**
 * The ticket key: HCY_TICKET_SIGNER_KEY, or the public local default on the local chain only.
 * Undefined elsewhere: the service then refuses tickets (503) and everything else works.
 */
export function ticketKey(chainId: number, env: NodeJS.ProcessEnv): Hex | undefined {
  const key = env.HCY_TICKET_SIGNER_KEY?.trim();
  if (key !== undefined && key !== "") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("HCY_TICKET_SIGNER_KEY must be a 32-byte hex private key");
    return key as Hex;
  }
  return chainId === LOCAL_CHAIN_ID ? LOCAL_TICKET_KEY : undefined;
}

const countAbi = parseAbi([
  "function packetCount() view returns (uint256)",
  "function campaignCount() view returns (uint256)",
]);

/** RedPacket.Audience.Residents, and the Vouchers campaign statuses that still take claims. */
const RESIDENTS_AUDIENCE = 3;
const CLAIMABLE_STATUSES: readonly number[] = [0, 1]; // Scheduled, Active

/**
 * Whether the packet or campaign is open to resident claims now. Ids are handed out 1, 2, 3, … so
 * it exists when its id is at most the contract's count (the highest count seen is kept: counts
 * only grow); then its view says whether it is for residents and still claimable (a residents'
 * packet with shares left, not expired or refunded; a residents-only campaign scheduled or active
 * with vouchers left).
 */
export function ticketTargetCheck(provider: JsonRpcProvider, now: () => number): AppDeps["ticketTarget"] {
  const highest = new Map<string, bigint>();
  const read = async <A extends Abi>(abi: A, contract: Address, functionName: string, args: unknown[] = []) => {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    const result = await provider.call({ to: contract, data });
    return decodeFunctionResult({ abi, functionName, data: result as Hex } as never) as unknown;
  };
  return async (kind, contract, id) => {
    const key = `${kind}:${contract.toLowerCase()}`;
    if (id > (highest.get(key) ?? 0n)) {
      const count = (await read(countAbi, contract, kind === "redPacket" ? "packetCount" : "campaignCount")) as bigint;
      highest.set(key, count);
      if (id > count) return "missing";
    }
    if (kind === "redPacket") {
      const p = (await read(redPacketAbi, contract, "packet", [id])) as {
        audience: number;
        claimed: bigint;
        shares: bigint;
        expiry: bigint;
        refunded: boolean;
      };
      const open =
        p.audience === RESIDENTS_AUDIENCE &&
        p.claimed < p.shares &&
        p.expiry > BigInt(Math.floor(now() / 1000)) &&
        !p.refunded;
      return open ? "open" : "closed";
    }
    const v = (await read(vouchersAbi, contract, "campaign", [id])) as {
      residentsOnly: boolean;
      status: number;
      claimed: number;
      totalVouchers: number;
    };
    return v.residentsOnly && CLAIMABLE_STATUSES.includes(v.status) && v.claimed < v.totalVouchers ? "open" : "closed";
  };
}

/** What a ticket is for: the contract, its EIP-712 domain name and the id field's name. */
const TICKET_KINDS = {
  redPacket: {
    kind: "redPacket",
    path: "/redpackets/tickets",
    idField: "packetId",
    contract: "RedPacket",
    addressEnv: "HCY_RED_PACKET_ADDRESS",
    domainName: "Hefei City Red Packet",
    what: "red packet",
  },
  vouchers: {
    kind: "vouchers",
    path: "/vouchers/tickets",
    idField: "campaignId",
    contract: "Vouchers",
    addressEnv: "HCY_VOUCHERS_ADDRESS",
    domainName: "Hefei City Vouchers",
    what: "voucher campaign",
  },
} as const;

type TicketKind = (typeof TICKET_KINDS)[keyof typeof TICKET_KINDS];

function contractAddress(kind: TicketKind, chainId: number, env: NodeJS.ProcessEnv): Address | undefined {
  const override = env[kind.addressEnv]?.trim();
  if (override) {
    if (!isAddress(override)) throw new Error(`${kind.addressEnv} is not an address`);
    return getAddress(override);
  }
  const generated = deploymentFor(chainId);
  return generated ? getAddress(generated.contracts[kind.contract]) : undefined;
}

export function redPacketTicketRoutes(app: Hono<AppEnv>, deps: AppDeps, env: NodeJS.ProcessEnv = process.env): void {
  const { chainId } = deps.config;
  const now = deps.now ?? Date.now;
  const key = ticketKey(chainId, env);
  const signer = key === undefined ? undefined : privateKeyToAccount(key);
  // A separate secret for nullifiers, derived from the ticket key so there is one secret to keep.
  const nullifierSecret =
    key === undefined ? undefined : keccak256(`${key}${stringToHex("nullifier").slice(2)}` as Hex);
  // Each ticket costs a database read and a signature: one account asking in a loop (a script
  // trying packet after packet) is slowed down, while a resident claiming a few packets a day
  // never meets the limit. Shared by both kinds, so switching paths does not double it.
  const perAccount = new RateLimiter(deps.db, "tickets.account", deps.config.ticketsPerAccountPerHour, 60 * 60 * 1000);
  // The same allowance per person: her other addresses do not multiply it.
  const perIdentity = new RateLimiter(deps.db, "tickets.person", deps.config.ticketsPerAccountPerHour, 60 * 60 * 1000);
  const target = deps.ticketTarget ?? (deps.provider ? ticketTargetCheck(deps.provider, now) : undefined);
  for (const kind of Object.values(TICKET_KINDS)) {
    app.use(kind.path, requireSession(deps));
    app.post(kind.path, async (c) => {
      if (signer === undefined || nullifierSecret === undefined) {
        throw new ApiError(503, "tickets_unavailable", "This service has no ticket key (HCY_TICKET_SIGNER_KEY)");
      }
      const wait = await perAccount.take(c.get("session").address, now());
      if (wait > 0) {
        c.header("Retry-After", String(Math.ceil(wait / 1000)));
        throw new ApiError(429, "too_many_tickets", "Too many resident tickets asked for in an hour; try again later");
      }
      const body = await readJson(c);
      onlyFields(body, [kind.idField]);
      const raw = body[kind.idField];
      if (typeof raw !== "string" || !/^[1-9][0-9]{0,19}$/.test(raw)) {
        throw badField(kind.idField, `must be a ${kind.what} number (a decimal string)`);
      }
      const id = BigInt(raw);
      const claimer = c.get("session").address;
      // Tickets are for people the bank vouched for; the nullifier is hers, whatever address asks.
      const identity = await identityOf(deps.db, claimer);
      if (identity?.level !== "bank") {
        throw new ApiError(
          403,
          "not_verified",
          `Only verified residents can claim this ${kind.what}: verify your name with your bank card first (实名认证)`,
        );
      }
      const identityWait = await perIdentity.take(identity.id, now());
      if (identityWait > 0) {
        c.header("Retry-After", String(Math.ceil(identityWait / 1000)));
        throw new ApiError(429, "too_many_tickets", "Too many resident tickets asked for in an hour; try again later");
      }
      const contract = contractAddress(kind, chainId, env);
      if (contract === undefined)
        throw new ApiError(503, "no_deployment", `No ${kind.contract} contract on this chain`);
      // A ticket for a packet or campaign that does not exist is refused (it could otherwise be
      // held for one created later under that number), and so is one for a packet that is not a
      // residents' packet or no longer takes claims.
      if (target === undefined) {
        throw new ApiError(
          503,
          "chain_unavailable",
          `Cannot check the ${kind.what} on chain: no chain node configured`,
        );
      }
      let state: TicketTargetState;
      let timer: NodeJS.Timeout | undefined;
      try {
        // A hung node must not hold the request (and its connection): bounded like a wallet check.
        state = await Promise.race([
          target(kind.kind, contract, id),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), deps.config.erc1271TimeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
      } catch {
        throw new ApiError(503, "chain_unavailable", `Cannot check the ${kind.what} on chain: the node did not answer`);
      }
      if (state === "missing") throw new ApiError(404, "not_found", `No ${kind.what} ${id} on chain`);
      if (state === "closed") {
        throw new ApiError(
          409,
          "ticket_target_closed",
          `The ${kind.what} ${id} is not for verified residents or no longer takes claims`,
        );
      }
      const scope = kind === TICKET_KINDS.redPacket ? `packet:${id}` : `campaign:${id}`;
      // Keyed by her identity and the packet: one share per person per packet, two people never
      // collide, and nullifiers of one person in two packets cannot be linked without the key.
      const nullifier = keccak256(
        `0x${createHmac("sha256", Buffer.from(nullifierSecret.slice(2), "hex"))
          .update(`identity:${identity.id}|chain:${chainId}|contract:${contract.toLowerCase()}|${scope}`)
          .digest("hex")}`,
      );
      const deadline = BigInt(Math.floor(now() / 1000) + TICKET_LIFETIME_SECONDS);
      // Widened types: the id field's name depends on the kind, so the message is checked at run
      // time by viem against these fields (and on chain against the contract's TICKET_TYPEHASH).
      const types: Record<string, { name: string; type: string }[]> = {
        ResidentTicket: [
          { name: kind.idField, type: "uint256" },
          { name: "claimer", type: "address" },
          { name: "nullifier", type: "bytes32" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const signature = await signer.signTypedData({
        domain: { name: kind.domainName, version: "1", chainId, verifyingContract: contract },
        types,
        primaryType: "ResidentTicket",
        message: { [kind.idField]: id, claimer, nullifier, deadline },
      });
      return c.json({
        [kind.idField]: id.toString(),
        claimer,
        nullifier,
        deadline: deadline.toString(),
        signature,
        contract,
        chainId,
      });
    });
  }
}
