// A real user operation through the local Alto bundler: a resident's new passkey account (not yet
// deployed) pays HCY to a merchant, signed by a P-256 key in the WebAuthn format, created by the
// factory in the same operation and paid for by the city paymaster, sponsored with the city's
// signature (the local sponsorship key the city service holds, core/sponsorship.ts). A heavy first operation (the
// account created and a batch of payments to new holders) gets its gas limits from the bundler's
// estimate, as the dApp does (core/userOperationGas.ts), and runs within them. Then the paymaster
// refuses an operation that calls a contract that is not the city's, and one whose city signature
// was made for another operation, and the bundler reports why.
import {
  type Address,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  stringToHex,
} from "viem";
import { createBundlerClient, getUserOperationHash } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { sponsorshipPaymasterData, sponsorshipTypedData } from "../../core/sponsorship.js";
import { gasLimitsWithin, type UserOperationGasLimits } from "../../core/userOperationGas.js";
import {
  cityAccountAbi,
  cityAccountFactoryAbi,
  cityPaymasterAbi,
  cityYuanAbi,
  entryPointAddress,
} from "../../generated/contracts.js";
import { localAccount, MERCHANTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { cityAccountSignature, executeBatch, softwarePasskey } from "../../scripts/lib/passkey.js";
import { sponsorKey } from "../../server/src/routes/paymaster.js";
import { localChain } from "./browser.js";
import { reservesFor } from "./reserves.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
const { CityYuan, CityAccountFactory, CityPaymaster } = system.contracts;
// Limits within the paymaster's caps (ignition/modules/CityAccounts.ts).
const GAS = {
  callGasLimit: 300_000n,
  verificationGasLimit: 900_000n,
  preVerificationGas: 150_000n,
  paymasterVerificationGasLimit: 150_000n,
  paymasterPostOpGasLimit: 0n,
};
/** The city service's key on the local chain (SPONSOR_SIGNER_ROLE in ignition/parameters/localhost.json). */
const cityKey = privateKeyToAccount(sponsorKey(chain.id, {}) as Hex);

async function sponsoredOperation(
  passkey: ReturnType<typeof softwarePasskey>,
  calls: { to: Address; data: Hex }[],
  gas: UserOperationGasLimits = GAS,
) {
  const sender = await client.readContract({
    address: CityAccountFactory,
    abi: cityAccountFactoryAbi,
    functionName: "accountAddress",
    args: [passkey.x, passkey.y],
  });
  const deployed = Boolean(await client.getCode({ address: sender }));
  const { mode, executionData } = executeBatch(calls);
  const nonce = await client.readContract({
    address: entryPointAddress,
    abi: [
      {
        type: "function",
        name: "getNonce",
        stateMutability: "view",
        inputs: [
          { name: "sender", type: "address" },
          { name: "key", type: "uint192" },
        ],
        outputs: [{ type: "uint256" }],
      },
    ],
    functionName: "getNonce",
    args: [sender, 0n],
  });
  const operation = {
    sender,
    nonce,
    ...(deployed
      ? {}
      : {
          factory: CityAccountFactory,
          factoryData: encodeFunctionData({
            abi: cityAccountFactoryAbi,
            functionName: "createAccount",
            args: [passkey.x, passkey.y],
          }),
        }),
    callData: encodeFunctionData({ abi: cityAccountAbi, functionName: "execute", args: [mode, executionData] }),
    ...gas,
    maxFeePerGas: 0n,
    maxPriorityFeePerGas: 0n,
    paymaster: CityPaymaster,
    signature: "0x" as Hex,
  };
  // Signed as the city service signs it, a short window around now. Both clocks count: the bundler
  // checks the window against its own (wall) clock, the EntryPoint against the block's, and the
  // local chain runs ahead of the wall clock once a test has mined blocks in a hurry.
  const chainNow = Number((await client.getBlock()).timestamp);
  const wallNow = Math.floor(Date.now() / 1000);
  const window = { validAfter: Math.min(chainNow, wallNow) - 60, validUntil: Math.max(chainNow, wallNow) + 600 };
  const sponsorship = await cityKey.signTypedData(sponsorshipTypedData(chain.id, CityPaymaster, operation, window));
  const sponsored = { ...operation, paymasterData: sponsorshipPaymasterData(window, sponsorship) };
  const hash = getUserOperationHash({
    chainId: chain.id,
    entryPointAddress,
    entryPointVersion: "0.8",
    userOperation: sponsored,
  });
  return { ...sponsored, signature: cityAccountSignature(passkey, hash) };
}

/** The city issues `fen` to `account` (a bank top-up). */
async function topUp(account: Address, fen: bigint, bankRef: string): Promise<void> {
  const issuer = createWalletClient({
    chain,
    transport: http(system.rpcUrl),
    account: localAccount(ROLE_HOLDERS.issuer.index),
  });
  await reservesFor(system, fen);
  await client.waitForTransactionReceipt({
    hash: await issuer.writeContract({
      address: CityYuan,
      abi: cityYuanAbi,
      functionName: "issue",
      args: [account, fen, stringToHex(bankRef, { size: 32 })],
    }),
  });
}

describe("passkey accounts through the Alto bundler", () => {
  const bundlerUrl = system.bundlerUrl;
  if (!bundlerUrl) throw new Error("the e2e system was started without the bundler");
  const bundler = createBundlerClient({ chain, transport: http(bundlerUrl) });
  const passkey = softwarePasskey(keccak256(stringToHex("e2e resident passkey")));
  const merchant = localAccount(MERCHANTS[0]?.index ?? 12).address;

  it("sends a passkey-signed HCY payment from a new account, deployed and paid for by the city", async () => {
    const operation = await sponsoredOperation(passkey, []);
    const sender = operation.sender;
    await topUp(sender, 10_000n, "e2e top-up");
    expect(await client.getCode({ address: sender })).toBeUndefined();

    const payment = await sponsoredOperation(passkey, [
      {
        to: CityYuan,
        data: encodeFunctionData({ abi: cityYuanAbi, functionName: "transfer", args: [merchant, 2_500n] }),
      },
    ]);
    const merchantBefore = await client.readContract({
      address: CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [merchant],
    });
    const started = Date.now();
    const userOpHash = await bundler.sendUserOperation({ ...payment, entryPointAddress });
    const receipt = await bundler.waitForUserOperationReceipt({
      hash: userOpHash,
      pollingInterval: 100,
      timeout: 30_000,
    });
    const elapsed = Date.now() - started;
    expect(receipt.success).toBe(true);
    expect(receipt.paymaster?.toLowerCase()).toBe(CityPaymaster.toLowerCase());
    expect(await client.getCode({ address: sender })).toBeTruthy();
    expect(
      await client.readContract({ address: CityYuan, abi: cityYuanAbi, functionName: "balanceOf", args: [sender] }),
    ).toBe(7_500n);
    expect(
      await client.readContract({ address: CityYuan, abi: cityYuanAbi, functionName: "balanceOf", args: [merchant] }),
    ).toBe(merchantBefore + 2_500n);
    expect(await client.getBalance({ address: sender })).toBe(0n);
    process.stderr.write(`[bundler e2e] user operation to receipt through Alto: ${elapsed} ms\n`);
  });

  it("gives a heavy first operation (account created, eight payments to new holders) the gas the bundler estimates", async () => {
    const heavy = softwarePasskey(keccak256(stringToHex("e2e heavy passkey")));
    const sender = (await sponsoredOperation(heavy, [])).sender;
    await topUp(sender, 10_000n, "e2e heavy top-up");
    // Each payment to an address that never held HCY writes a fresh balance slot (the costly case).
    const holders = Array.from(
      { length: 8 },
      (_, i) => keccak256(stringToHex(`new holder ${i}`)).slice(0, 42) as Address,
    );
    const calls = holders.map((to) => ({
      to: CityYuan,
      data: encodeFunctionData({ abi: cityYuanAbi, functionName: "transfer", args: [to, 100n] }),
    }));
    // Estimated the way the dApp does: stub signature (the WebAuthn check stops at the challenge),
    // no paymaster, the sender's balance lent for the estimate.
    const unsigned = await sponsoredOperation(heavy, calls);
    const {
      paymaster: _p,
      paymasterData: _d,
      paymasterVerificationGasLimit: _v,
      paymasterPostOpGasLimit: _o,
      ...plain
    } = unsigned;
    const estimate = await bundler.estimateUserOperationGas({
      ...plain,
      signature: cityAccountSignature(heavy, `0x${"00".repeat(32)}`),
      entryPointAddress,
      stateOverride: [{ address: sender, balance: 10n ** 24n }],
    });
    const policy = await client.readContract({ address: CityPaymaster, abi: cityPaymasterAbi, functionName: "policy" });
    const limits = gasLimitsWithin(estimate, policy);
    if (!limits.ok) throw new Error(`over the paymaster's cap: ${JSON.stringify(limits, (_, v) => String(v))}`);
    expect(limits.gas.callGasLimit).toBeLessThanOrEqual(BigInt(policy.maxCallGas));
    expect(limits.gas.verificationGasLimit).toBeLessThanOrEqual(BigInt(policy.maxVerificationGas));

    const userOpHash = await bundler.sendUserOperation({
      ...(await sponsoredOperation(heavy, calls, limits.gas)),
      entryPointAddress,
    });
    const receipt = await bundler.waitForUserOperationReceipt({
      hash: userOpHash,
      pollingInterval: 100,
      timeout: 30_000,
    });
    expect(receipt.success).toBe(true);
    for (const to of holders)
      expect(
        await client.readContract({ address: CityYuan, abi: cityYuanAbi, functionName: "balanceOf", args: [to] }),
      ).toBe(100n);
    process.stderr.write(
      `[bundler e2e] heavy first operation: limits call ${limits.gas.callGasLimit}, verification ${limits.gas.verificationGasLimit}, pre-verification ${limits.gas.preVerificationGas}; used ${receipt.actualGasUsed}\n`,
    );
  });

  it("refuses an operation that calls a contract that is not the city's, and says why", async () => {
    const elsewhere = localAccount(43).address;
    const operation = await sponsoredOperation(passkey, [{ to: elsewhere, data: "0x" }]);
    const error = await bundler.sendUserOperation({ ...operation, entryPointAddress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const data = /0x[0-9a-fA-F]{8,}/.exec(String((error as Error & { details?: string }).details ?? error))?.[0] as Hex;
    const refusal = decodeErrorResult({ abi: cityPaymasterAbi, data: data.slice(data.indexOf("0x")) as Hex });
    expect(refusal.errorName).toBe("CityPaymasterTargetNotAllowed");
    expect(refusal.args).toEqual([elsewhere]);
  });

  it("refuses an operation carrying the city's signature for another operation (AA34)", async () => {
    const pay = (amount: bigint) =>
      sponsoredOperation(passkey, [
        {
          to: CityYuan,
          data: encodeFunctionData({
            abi: cityYuanAbi,
            functionName: "transfer",
            args: [localAccount(MERCHANTS[0]?.index ?? 12).address, amount],
          }),
        },
      ]);
    const signedForOne = await pay(1n);
    const hundred = await pay(100n);
    const swapped = { ...hundred, paymasterData: signedForOne.paymasterData };
    const hash = getUserOperationHash({
      chainId: chain.id,
      entryPointAddress,
      entryPointVersion: "0.8",
      userOperation: swapped,
    });
    const error = await bundler
      .sendUserOperation({ ...swapped, signature: cityAccountSignature(passkey, hash), entryPointAddress })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { details?: string }).details ?? error)).toMatch(/AA34/);
  });
});
