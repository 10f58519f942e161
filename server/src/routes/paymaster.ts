// Sponsorship the city signs (issue 22): the ERC-7677 paymaster methods, as JSON-RPC on
// POST /paymaster, which viem's `createPaymasterClient` (the `paymaster:` of a bundler client)
// speaks. `pm_getPaymasterStubData` answers a stand-in for the estimate and already says whether
// she would be refused (before her fingerprint is asked); `pm_getPaymasterData` counts the
// operation against her quota and signs it (core/sponsorship.ts) for CityPaymaster.
//
// Only a signed-in resident's own account is sponsored (the session's address is the sender), only
// an account that belongs to a verified person (an open identity of level phone or bank: she signs
// in with her new account's counterfactual address, binds her card, then her first operation —
// which creates the account — is sponsored), a new account only when its initCode names the city
// factory, only the account's next nonce, within `sponsoredOperationsPerDay` per identity and Hefei
// day and `sponsoredAccountsPerPerson` account creations per identity
// (server/src/sponsorship/quotas.ts). Refusals are JSON-RPC errors with code
// SPONSORSHIP_REFUSED_CODE and `data.reason` (a SponsorshipRefusal) that the dApp puts into words
// (`not_verified`: what she must verify to pay, with the way to 实名认证).
import type { JsonRpcProvider } from "ethers";
import type { Context, Hono } from "hono";
import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  isAddress,
  isHex,
  keccak256,
  numberToHex,
  parseAbi,
  stringToHex,
} from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import {
  SPONSORSHIP_REFUSED_CODE,
  SPONSORSHIP_STUB_DATA,
  type SponsoredOperation,
  type SponsorshipRefusal,
  sponsorshipPaymasterData,
  sponsorshipTypedData,
} from "../../../core/sponsorship.js";
import { PAYMASTER_POST_OP_GAS, PAYMASTER_VERIFICATION_GAS } from "../../../core/userOperationGas.js";
import { deploymentFor } from "../../../generated/contracts.js";
import { ApiError } from "../errors.js";
import { type AppDeps, type AppEnv, requireSession } from "../http.js";
import { decideSponsorship, type QuotaDecision } from "../sponsorship/quotas.js";
import { asObject } from "../validate.js";

const LOCAL_CHAIN_ID = 31337;
/** The local chain's sponsorship key (its address is `sponsorSigner` in ignition/parameters/localhost.json). */
const LOCAL_SPONSOR_KEY = keccak256(stringToHex("hefei local chain sponsorship signer"));

/**
 * The sponsorship key: HCY_SPONSOR_SIGNER_KEY, or the public local default on the local chain only.
 * Undefined elsewhere: the service then refuses sponsorship ("unavailable") and everything else works.
 */
export function sponsorKey(chainId: number, env: NodeJS.ProcessEnv): Hex | undefined {
  const key = env.HCY_SPONSOR_SIGNER_KEY?.trim();
  if (key !== undefined && key !== "") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("HCY_SPONSOR_SIGNER_KEY must be a 32-byte hex private key");
    return key as Hex;
  }
  return chainId === LOCAL_CHAIN_ID ? LOCAL_SPONSOR_KEY : undefined;
}

function contractAddress(
  name: "CityPaymaster" | "CityAccountFactory",
  envName: string,
  chainId: number,
  env: NodeJS.ProcessEnv,
) {
  const override = env[envName]?.trim();
  if (override) {
    if (!isAddress(override)) throw new Error(`${envName} is not an address`);
    return getAddress(override);
  }
  const generated = deploymentFor(chainId);
  return generated ? getAddress(generated.contracts[name]) : undefined;
}

const entryPointAbi = parseAbi(["function getNonce(address sender, uint192 key) view returns (uint256)"]);

/** The account's next nonce for the operation's key, asked of the EntryPoint through the provider. */
export function entryPointNonce(provider: JsonRpcProvider): NonNullable<AppDeps["accountNonce"]> {
  return async (sender, key) => {
    const data = encodeFunctionData({ abi: entryPointAbi, functionName: "getNonce", args: [sender, key] });
    const result = await provider.call({ to: entryPoint08Address, data });
    return decodeFunctionResult({ abi: entryPointAbi, functionName: "getNonce", data: result as Hex });
  };
}

class SponsorshipRefused extends Error {
  constructor(
    readonly reason: SponsorshipRefusal,
    message: string,
  ) {
    super(message);
    this.name = "SponsorshipRefused";
  }
}

const QUOTA_REFUSALS: Record<Exclude<QuotaDecision, "granted" | "again">, string> = {
  not_verified:
    "The city pays fees only for a verified resident: verify your phone or bind your bank card (实名认证) first; receiving money needs no verification",
  daily_quota_used: "Today's sponsored operations are used up; try again tomorrow",
  new_accounts_used: "The accounts the city creates for one person are used up",
};

const hexQuantity = (value: unknown, field: string): bigint => {
  if (value === undefined || value === null) return 0n;
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new SponsorshipRefused("invalid_request", `${field} must be a hex quantity`);
  }
  return BigInt(value);
};

const hexBytes = (value: unknown, field: string): Hex => {
  if (typeof value !== "string" || !isHex(value) || value.length % 2 !== 0) {
    throw new SponsorshipRefused("invalid_request", `${field} must be hex bytes`);
  }
  return value;
};

/** The user operation of an ERC-7677 request (v0.8 fields, hex as viem sends them). */
function operationOf(raw: unknown): SponsoredOperation {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SponsorshipRefused("invalid_request", "params[0] must be the user operation");
  }
  const op = raw as Record<string, unknown>;
  if (typeof op.sender !== "string" || !isAddress(op.sender)) {
    throw new SponsorshipRefused("invalid_request", "sender must be an address");
  }
  const hasFactory = op.factory !== undefined && op.factory !== null;
  if (hasFactory && (typeof op.factory !== "string" || !isAddress(op.factory))) {
    throw new SponsorshipRefused("invalid_request", "factory must be an address");
  }
  return {
    sender: getAddress(op.sender),
    nonce: hexQuantity(op.nonce, "nonce"),
    factory: hasFactory ? getAddress(op.factory as string) : undefined,
    factoryData: hasFactory ? hexBytes(op.factoryData ?? "0x", "factoryData") : undefined,
    callData: hexBytes(op.callData, "callData"),
    callGasLimit: hexQuantity(op.callGasLimit, "callGasLimit"),
    verificationGasLimit: hexQuantity(op.verificationGasLimit, "verificationGasLimit"),
    preVerificationGas: hexQuantity(op.preVerificationGas, "preVerificationGas"),
    maxFeePerGas: hexQuantity(op.maxFeePerGas, "maxFeePerGas"),
    maxPriorityFeePerGas: hexQuantity(op.maxPriorityFeePerGas, "maxPriorityFeePerGas"),
    paymasterVerificationGasLimit:
      op.paymasterVerificationGasLimit === undefined
        ? PAYMASTER_VERIFICATION_GAS
        : hexQuantity(op.paymasterVerificationGasLimit, "paymasterVerificationGasLimit"),
    paymasterPostOpGasLimit:
      op.paymasterPostOpGasLimit === undefined
        ? PAYMASTER_POST_OP_GAS
        : hexQuantity(op.paymasterPostOpGasLimit, "paymasterPostOpGasLimit"),
  };
}

/** The session's address, or a refusal in the paymaster's own words (not signed in, expired, removed passkey). */
async function sessionAddress(c: Context<AppEnv>, deps: AppDeps): Promise<Address> {
  try {
    await requireSession(deps)(c, async () => {});
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new SponsorshipRefused("not_signed_in", error.message);
    throw error;
  }
  return c.get("session").address;
}

const NONCE_KEY_SHIFT = 64n;

export function paymasterRoutes(app: Hono<AppEnv>, deps: AppDeps, env: NodeJS.ProcessEnv = process.env): void {
  const { chainId } = deps.config;
  const now = deps.now ?? Date.now;
  const key = sponsorKey(chainId, env);
  const signer = key === undefined ? undefined : privateKeyToAccount(key);
  const paymaster = contractAddress("CityPaymaster", "HCY_PAYMASTER_ADDRESS", chainId, env);
  const factory = contractAddress("CityAccountFactory", "HCY_ACCOUNT_FACTORY_ADDRESS", chainId, env);
  const nextNonce = deps.accountNonce ?? (deps.provider ? entryPointNonce(deps.provider) : undefined);
  const provider = deps.provider;
  const chainTime =
    deps.chainTime ??
    (async () => {
      try {
        return (await provider?.getBlock("latest"))?.timestamp;
      } catch {
        return undefined; // the wall clock alone, as before
      }
    });
  const limits = {
    operationsPerDay: deps.config.sponsoredOperationsPerDay,
    accountsPerPerson: deps.config.sponsoredAccountsPerPerson,
  };

  /** The checks both methods make; returns the operation. */
  async function admissible(c: Context<AppEnv>, params: unknown[]): Promise<SponsoredOperation> {
    const sender = await sessionAddress(c, deps);
    const op = operationOf(params[0]);
    if (typeof params[1] !== "string" || params[1].toLowerCase() !== entryPoint08Address.toLowerCase()) {
      throw new SponsorshipRefused("invalid_request", `Only the EntryPoint v0.8 (${entryPoint08Address}) is served`);
    }
    if (typeof params[2] !== "string" || hexQuantity(params[2], "chainId") !== BigInt(chainId)) {
      throw new SponsorshipRefused("wrong_chain", `This service sponsors chain ${chainId} only`);
    }
    if (op.sender !== sender) {
      throw new SponsorshipRefused("not_your_account", "Only the signed-in account's own operations are sponsored");
    }
    if (paymaster === undefined || factory === undefined || signer === undefined) {
      throw new SponsorshipRefused("unavailable", "This service has no paymaster or no sponsorship key");
    }
    if (op.factory !== undefined && op.factory !== factory) {
      throw new SponsorshipRefused("foreign_factory", "A new account must come from the city's account factory");
    }
    return op;
  }

  async function decide(op: SponsoredOperation, record: boolean): Promise<void> {
    const decision = await decideSponsorship(
      deps.db,
      { sender: op.sender, nonce: op.nonce, createsAccount: op.factory !== undefined, now: now() },
      limits,
      record,
    );
    if (decision !== "granted" && decision !== "again") {
      throw new SponsorshipRefused(decision, QUOTA_REFUSALS[decision]);
    }
  }

  const methods: Record<string, (c: Context<AppEnv>, params: unknown[]) => Promise<unknown>> = {
    async pm_getPaymasterStubData(c, params) {
      const op = await admissible(c, params);
      await decide(op, false);
      return {
        paymaster,
        paymasterData: SPONSORSHIP_STUB_DATA,
        paymasterVerificationGasLimit: numberToHex(PAYMASTER_VERIFICATION_GAS),
        paymasterPostOpGasLimit: numberToHex(PAYMASTER_POST_OP_GAS),
        isFinal: false,
      };
    },
    async pm_getPaymasterData(c, params) {
      const op = await admissible(c, params);
      if (nextNonce === undefined) throw new SponsorshipRefused("unavailable", "No chain node to read the nonce from");
      let expected: bigint;
      try {
        expected = await nextNonce(op.sender, op.nonce >> NONCE_KEY_SHIFT);
      } catch {
        throw new SponsorshipRefused("unavailable", "Cannot read the account's nonce from the chain node");
      }
      if (op.nonce < expected) throw new SponsorshipRefused("nonce_used", "This operation's nonce was already used");
      if (op.nonce > expected) throw new SponsorshipRefused("invalid_request", "Not the account's next nonce");
      await decide(op, true);
      // The EntryPoint checks the window against the block's time, the bundler against its own
      // clock: when the chain's clock runs ahead of the service's (a node's drift, a test chain
      // moved on), the window spans both, from the earlier to the later one plus the lifetime.
      const t = now();
      const chain = ((await chainTime()) ?? 0) * 1000;
      const window = {
        validAfter: Math.floor((t - deps.config.clockSkewMs) / 1000),
        validUntil: Math.floor((Math.max(t, chain) + deps.config.sponsorshipLifetimeMs) / 1000),
      };
      const signature = await (signer as NonNullable<typeof signer>).signTypedData(
        sponsorshipTypedData(chainId, paymaster as Address, op, window),
      );
      return {
        paymaster,
        paymasterData: sponsorshipPaymasterData(window, signature),
        paymasterVerificationGasLimit: numberToHex(op.paymasterVerificationGasLimit ?? 0n),
        paymasterPostOpGasLimit: numberToHex(op.paymasterPostOpGasLimit ?? 0n),
      };
    },
  };

  app.post("/paymaster", async (c) => {
    let request: Record<string, unknown>;
    try {
      request = asObject(await c.req.json());
    } catch {
      return c.json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Send one JSON-RPC request object" } });
    }
    const id = typeof request.id === "number" || typeof request.id === "string" ? request.id : null;
    const method = typeof request.method === "string" ? methods[request.method] : undefined;
    if (method === undefined || !Object.hasOwn(methods, request.method as string)) {
      return c.json({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } });
    }
    const params = Array.isArray(request.params) ? request.params : [];
    try {
      return c.json({ jsonrpc: "2.0", id, result: await method(c, params) });
    } catch (error) {
      if (!(error instanceof SponsorshipRefused)) throw error;
      return c.json({
        jsonrpc: "2.0",
        id,
        error: { code: SPONSORSHIP_REFUSED_CODE, message: error.message, data: { reason: error.reason } },
      });
    }
  });
}
