// The passkey account itself, loaded only when a passkey account acts (dynamic import): viem's
// account-abstraction module with a smart-account implementation for CityAccount (ERC-7821 batches,
// WebAuthn signatures in the account's packed encoding (core/accountSignature.ts), ERC-7739 for Sign-In, ERC-6492 before the account
// exists), user operations through the bundler, gas paid by the city paymaster when the city
// service signs the sponsorship (ERC-7677 `pm_` methods on the service, core/sponsorship.ts).
import { cityAccountSignature, personalSignHash } from "@core/accountSignature";
import { isSponsorshipRefusal, SPONSORSHIP_REFUSED_CODE, type SponsorshipRefusal } from "@core/sponsorship";
import { gasLimitsWithin } from "@core/userOperationGas";
import {
  cityAccountAbi,
  cityAccountFactoryAbi,
  cityPaymasterAbi,
  cityYuanAbi,
  redPacketAbi,
  vouchersAbi,
} from "@generated/contracts";
import {
  type Address,
  type Chain,
  concat,
  createClient,
  decodeAbiParameters,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  http,
  parseAbiItem,
  parseAbiParameters,
  type SignableMessage,
  slice,
  type TransactionReceipt,
} from "viem";
import {
  createBundlerClient,
  createPaymasterClient,
  createWebAuthnCredential,
  entryPoint08Abi,
  entryPoint08Address,
  getUserOperationHash,
  toSmartAccount,
  toWebAuthnAccount,
} from "viem/account-abstraction";
import { call, getCode, getLogs, readContract } from "viem/actions";
import { cityChain } from "../../chain";
import { contractAddresses } from "../../contracts";
import { bundlerUrl, gasless, serviceUrl } from "../../env";
import type { StoredPasskey } from "./passkeyStore";

/** ERC-7821 single batch, revert on failure: the only mode CityAccount runs. */
const BATCH_MODE: Hex = `0x01${"00".repeat(31)}`;
const BATCH = parseAbiParameters("(address, uint256, bytes)[]");
const SIGNER_ADDED = parseAbiItem("event ERC7913SignerAdded(bytes indexed signers)");
/** A balance the estimate lends the account (it pays for itself there; the paymaster pays for real). */
const ESTIMATE_BALANCE = 10n ** 24n;

export type Call = { to: Address; data: Hex };

/** The bundler or the paymaster refused the operation, with the contract's custom error name. */
export class UserOperationRefusedError extends Error {
  constructor(
    readonly errorName: string,
    cause: unknown,
  ) {
    super(`user operation refused: ${errorName}`, { cause });
    this.name = "UserOperationRefusedError";
  }
}

function rpcClient() {
  return createClient({ chain: cityChain, transport: http(cityChain.rpcUrls.default.http[0]) });
}

/** The relying party: the page's own host (a passkey cannot be bound to an IP address). */
function rpId(): string {
  return window.location.hostname;
}

/** A new passkey on this device (fingerprint, face or screen lock required). */
export async function createPasskey(name: string): Promise<{ id: string; x: Hex; y: Hex }> {
  const credential = await createWebAuthnCredential({
    name,
    rp: { id: rpId(), name: "Hefei City Wallet" },
    authenticatorSelection: { residentKey: "preferred", requireResidentKey: false, userVerification: "required" },
  });
  return { id: credential.id, x: slice(credential.publicKey, 0, 32), y: slice(credential.publicKey, 32, 64) };
}

/** The account a first passkey creates: its address is known before it exists on the chain. */
export async function accountAddressOf(x: Hex, y: Hex): Promise<Address> {
  return readContract(rpcClient(), {
    address: contractAddresses.CityAccountFactory,
    abi: cityAccountFactoryAbi,
    functionName: "accountAddress",
    args: [x, y],
  });
}

/** A new passkey and the new account it signs for. */
export async function createPasskeyAccount(name: string): Promise<StoredPasskey> {
  const passkey = await createPasskey(name);
  return { ...passkey, address: await accountAddressOf(passkey.x, passkey.y) };
}

let verifierCache: Address | undefined;
async function verifier(): Promise<Address> {
  verifierCache ??= await readContract(rpcClient(), {
    address: contractAddresses.CityAccountFactory,
    abi: cityAccountFactoryAbi,
    functionName: "webAuthnVerifier",
  });
  return verifierCache;
}

/** The account that added this passkey (on a new device, after another device approved it). */
export async function findAccountWithPasskey(x: Hex, y: Hex): Promise<Address | null> {
  const signer = concat([await verifier(), x, y]);
  const logs = await getLogs(rpcClient(), {
    event: SIGNER_ADDED,
    args: { signers: signer },
    fromBlock: 0n,
  });
  const found = logs.at(-1)?.address;
  if (!found) return null;
  const still = await readContract(rpcClient(), {
    address: found,
    abi: cityAccountAbi,
    functionName: "isPasskey",
    args: [x, y],
  });
  return still ? found : null;
}

/** A WebAuthn assertion over `hash`, in CityAccount's signature encoding. */
async function passkeySignature(passkey: StoredPasskey, hash: Hex): Promise<Hex> {
  const webauthn = toWebAuthnAccount({
    credential: { id: passkey.id, publicKey: concat([passkey.x, passkey.y]) },
    rpId: rpId(),
  });
  const { signature, webauthn: meta } = await webauthn.sign({ hash });
  return cityAccountSignature(passkey.x, passkey.y, {
    r: slice(signature, 0, 32),
    s: slice(signature, 32, 64),
    challengeIndex: meta.challengeIndex ?? 23,
    typeIndex: meta.typeIndex ?? 1,
    authenticatorData: meta.authenticatorData,
    clientDataJSON: meta.clientDataJSON,
  });
}

/** viem's smart account for CityAccount, signed by the passkey. */
export async function toCityAccount(passkey: StoredPasskey, client = rpcClient()) {
  const factoryData = encodeFunctionData({
    abi: cityAccountFactoryAbi,
    functionName: "createAccount",
    args: [passkey.x, passkey.y],
  });
  const stub = cityAccountSignature(passkey.x, passkey.y, {
    r: `0x${"11".repeat(32)}`,
    s: `0x${"22".repeat(32)}`,
    challengeIndex: 23,
    typeIndex: 1,
    authenticatorData: `0x${"00".repeat(37)}`,
    clientDataJSON: `{"type":"webauthn.get","challenge":"${"A".repeat(43)}","origin":"${window.location.origin}","crossOrigin":false}`,
  });
  return toSmartAccount({
    client,
    entryPoint: { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" },
    extend: { abi: cityAccountAbi },
    async getAddress() {
      return passkey.address;
    },
    async getFactoryArgs() {
      // Only the passkey that created the account can deploy it (the factory's salt is that key).
      const own = (await accountAddressOf(passkey.x, passkey.y)).toLowerCase() === passkey.address.toLowerCase();
      return own
        ? { factory: contractAddresses.CityAccountFactory, factoryData }
        : { factory: undefined, factoryData: undefined };
    },
    async getNonce() {
      return readContract(client, {
        address: entryPoint08Address,
        abi: entryPoint08Abi,
        functionName: "getNonce",
        args: [passkey.address, 0n],
      });
    },
    async encodeCalls(calls) {
      const executionData = encodeAbiParameters(BATCH, [
        calls.map((c) => [c.to, c.value ?? 0n, c.data ?? "0x"] as const),
      ]);
      return encodeFunctionData({ abi: cityAccountAbi, functionName: "execute", args: [BATCH_MODE, executionData] });
    },
    async decodeCalls(data) {
      const [, executionData] = decodeAbiParameters(parseAbiParameters("bytes32, bytes"), slice(data, 4));
      const [calls] = decodeAbiParameters(BATCH, executionData);
      return calls.map(([to, value, callData]) => ({ to, value, data: callData }));
    },
    async getStubSignature() {
      return stub;
    },
    async signMessage({ message }) {
      return passkeySignature(passkey, personalSignHash(passkey.address, cityChain.id, message));
    },
    async signTypedData() {
      throw new Error("typed data is not signed by the city account");
    },
    async signUserOperation(parameters) {
      const { chainId = cityChain.id, ...userOperation } = parameters;
      const hash = getUserOperationHash({
        chainId,
        entryPointAddress: entryPoint08Address,
        entryPointVersion: "0.8",
        userOperation: { ...userOperation, sender: passkey.address },
      });
      return passkeySignature(passkey, hash);
    },
  });
}

/** Signs a message (Sign-In with Ethereum) for ERC-1271, or ERC-6492 while the account is not deployed. */
export async function signMessageWithPasskey(passkey: StoredPasskey, message: SignableMessage): Promise<Hex> {
  const account = await toCityAccount(passkey);
  return account.signMessage({ message });
}

const REFUSAL_ABI = [...cityPaymasterAbi, ...cityAccountAbi, ...cityYuanAbi, ...redPacketAbi, ...vouchersAbi];

function passkeyNotConfirmed(error: unknown): boolean {
  let cursor: unknown = error;
  for (let depth = 0; cursor && depth < 12; depth++) {
    if ((cursor as { name?: unknown }).name === "NotAllowedError") return true;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return false;
}

/** Each reason the city service gives for not sponsoring, as the refusal's name (words in revert.ts). */
const SPONSORSHIP_REFUSAL_NAMES: Record<SponsorshipRefusal, string> = {
  not_signed_in: "CitySponsorshipNotSignedIn",
  not_your_account: "CitySponsorshipNotYourAccount",
  not_verified: "CitySponsorshipNotVerified",
  daily_quota_used: "CitySponsorshipDailyQuotaUsed",
  new_accounts_used: "CitySponsorshipNewAccountsUsed",
  foreign_factory: "CitySponsorshipForeignFactory",
  nonce_used: "CitySponsorshipNonceUsed",
  wrong_chain: "CitySponsorshipWrongChain",
  unavailable: "CitySponsorshipUnavailable",
  invalid_request: "CitySponsorshipInvalidRequest",
};

/** The city service's refusal to sponsor (its JSON-RPC error carries the reason), if that is what this is. */
function sponsorshipRefusal(error: unknown): string | null {
  let cursor: unknown = error;
  for (let depth = 0; cursor && depth < 12; depth++) {
    const e = cursor as { code?: unknown; data?: unknown };
    const reason = (e.data as { reason?: unknown } | undefined)?.reason;
    if (e.code === SPONSORSHIP_REFUSED_CODE && isSponsorshipRefusal(reason)) return SPONSORSHIP_REFUSAL_NAMES[reason];
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return null;
}

/** The city service's ERC-7677 paymaster: it signs the sponsorship for the signed-in resident's own account. */
function cityPaymasterClient() {
  return createPaymasterClient({
    transport: http(`${serviceUrl}/paymaster`, { fetchOptions: { credentials: "include" } }),
  });
}

/** The custom error in a bundler's refusal (its message carries the revert data), if any. */
function refusalName(error: unknown): string | null {
  const texts: string[] = [];
  let cursor: unknown = error;
  for (let depth = 0; cursor && depth < 12; depth++) {
    const e = cursor as { details?: unknown; message?: unknown; data?: unknown };
    for (const part of [e.details, e.message, e.data]) if (typeof part === "string") texts.push(part);
    cursor = (cursor as { cause?: unknown }).cause;
  }
  for (const text of texts) {
    for (const match of text.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
      try {
        return decodeErrorResult({ abi: REFUSAL_ABI, data: match[0] as Hex }).errorName;
      } catch {
        // Not an error of ours (an address, a hash): try the next one.
      }
    }
  }
  for (const text of texts) {
    const aa = /\b(AA\d\d)\b/.exec(text);
    if (aa) return aa[1] ?? null;
  }
  return null;
}

/**
 * Runs `calls` exactly as the operation will (the account's `execute`, called by the EntryPoint) in
 * the next block's context, before the passkey is asked: a refusal costs nothing and says why. An
 * account that does not exist yet is simulated with its clone's code put in place.
 */
export async function simulateWithPasskey(passkey: StoredPasskey, calls: readonly Call[]): Promise<void> {
  const client = rpcClient();
  const account = await toCityAccount(passkey, client);
  const deployed = await isDeployed(passkey.address);
  const implementation = deployed
    ? undefined
    : await readContract(client, {
        address: contractAddresses.CityAccountFactory,
        abi: cityAccountFactoryAbi,
        functionName: "accountImplementation",
      });
  try {
    await call(client, {
      account: entryPoint08Address,
      to: passkey.address,
      data: await account.encodeCalls(calls.map((c) => ({ to: c.to, data: c.data }))),
      blockTag: "pending",
      ...(implementation
        ? {
            stateOverride: [
              {
                address: passkey.address,
                code: concat(["0x363d3d373d3d3d363d73", implementation, "0x5af43d82803e903d91602b57fd5bf3"]),
              },
            ],
          }
        : {}),
    });
  } catch (error) {
    const name = refusalName(error);
    if (name) throw new UserOperationRefusedError(name, error);
    throw error;
  }
}

export type SentOperation = { userOpHash: Hex; wait: () => Promise<TransactionReceipt> };

/** What the send tells the screen while it works. */
export type SendEvents = {
  /** The passkey is asked once more, and why (the only reason so far: see `sendWithPasskey`). */
  onAskAgain?: (reason: "accountOpened") => void;
};

/**
 * Sends `calls` as one user operation from the passkey account, paid by the city paymaster; the
 * passkey is asked once. Resolves once the bundler accepted it; `wait` resolves with the receipt of
 * the transaction that carried it.
 *
 * A first operation carries the factory call that creates the account, and the passkey's signature
 * covers it (the user-operation hash includes `initCode`). Anyone who knows her passkey's public key
 * can call the factory first; the account is then hers all the same (the factory's salt is that key),
 * but the signed operation is refused ("AA10 sender already constructed"). An account that exists
 * already when the operation is built gets none (viem's smart account checks the code first); one
 * created while she was confirming is rebuilt without the factory call and, since that signature
 * cannot be kept, the passkey is asked once more, saying why. Nothing was sent the first time.
 */
export async function sendWithPasskey(
  passkey: StoredPasskey,
  calls: readonly Call[],
  events: SendEvents = {},
): Promise<SentOperation> {
  try {
    return await sendOperation(passkey, calls);
  } catch (error) {
    if (!(await openedMeanwhile(passkey, error))) throw error;
    events.onAskAgain?.("accountOpened");
    return sendOperation(passkey, calls);
  }
}

/** The bundler refused a first operation because her account was created meanwhile by someone else. */
async function openedMeanwhile(passkey: StoredPasskey, error: unknown): Promise<boolean> {
  return error instanceof UserOperationRefusedError && error.errorName === "AA10" && isDeployed(passkey.address);
}

async function sendOperation(passkey: StoredPasskey, calls: readonly Call[]): Promise<SentOperation> {
  const client = rpcClient();
  const account = await toCityAccount(passkey, client);
  const bundler = createBundlerClient({ account, client, chain: cityChain as Chain, transport: http(bundlerUrl) });
  const policy = await readContract(client, {
    address: contractAddresses.CityPaymaster,
    abi: cityPaymasterAbi,
    functionName: "policy",
  });
  const fees = gasless ? { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } : {};
  const batch = calls.map((c) => ({ to: c.to, data: c.data }));
  let userOpHash: Hex;
  try {
    // The bundler estimates what this batch needs (core/userOperationGas.ts says why without the
    // paymaster); the limits stay within the paymaster's caps, or the resident is told before any
    // fingerprint.
    const estimate = await bundler.estimateUserOperationGas({
      calls: batch,
      ...fees,
      stateOverride: [{ address: passkey.address, balance: ESTIMATE_BALANCE }],
    });
    const limits = gasLimitsWithin(estimate, policy);
    if (!limits.ok) throw new UserOperationRefusedError("CityPaymasterGasLimitTooHigh", limits);
    const { paymasterVerificationGasLimit: _v, paymasterPostOpGasLimit: _o, ...gas } = limits.gas;
    // The city service answers the paymaster's fields: its stub first (a refusal there comes before
    // the fingerprint), then its signature over the finished operation.
    userOpHash = await bundler.sendUserOperation({ calls: batch, ...gas, ...fees, paymaster: cityPaymasterClient() });
  } catch (error) {
    if (error instanceof UserOperationRefusedError) throw error;
    // A passkey that was not confirmed (cancelled, failed, not on this device) is not a refusal.
    if (passkeyNotConfirmed(error)) throw error;
    const refused = sponsorshipRefusal(error);
    if (refused) throw new UserOperationRefusedError(refused, error);
    const name = refusalName(error);
    if (name) throw new UserOperationRefusedError(name, error);
    throw error;
  }
  return {
    userOpHash,
    wait: async () => {
      const receipt = await bundler.waitForUserOperationReceipt({
        hash: userOpHash,
        pollingInterval: 250,
        timeout: 60_000,
      });
      // The bundle's transaction succeeds even when the operation inside it reverted.
      return { ...receipt.receipt, status: receipt.success ? "success" : "reverted" };
    },
  };
}

/** Whether the account exists on the chain yet (it does after its first operation). */
export async function isDeployed(address: Address): Promise<boolean> {
  return Boolean(await getCode(rpcClient(), { address }));
}
