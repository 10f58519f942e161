// Puts ERC-4337's shared contracts on a local chain the way they exist on public chains: the
// deterministic deployment proxy (Arachnid's, used by CREATE2 deployments everywhere) at
// 0x4e59…956c, then the v0.8 EntryPoint through it, from the npm artefact's creation code and the
// salt eth-infinitism used, which gives the canonical address 0x4337…f108. Alto recognises v0.8
// only at that address. Then funds and stakes the city paymaster for the local demo.
import { createRequire } from "node:module";
import {
  type Address,
  concat,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  parseEther,
} from "viem";
import type { LocalAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { cityPaymasterAbi } from "../../generated/contracts.js";
import { ENTRY_POINT_V08 } from "../../ignition/modules/CityAccounts.js";
import { localAccount, ROLE_HOLDERS } from "./demo-accounts.js";

const require = createRequire(import.meta.url);

export const DETERMINISTIC_DEPLOYER: Address = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
/** Runtime code of the deterministic deployment proxy (github.com/Arachnid/deterministic-deployment-proxy). */
const DETERMINISTIC_DEPLOYER_CODE: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
/** The salt the EntryPoint v0.8 was deployed with on every public chain. */
const ENTRY_POINT_V08_SALT: Hex = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";
/** What the local demo paymaster holds at the EntryPoint (the local chain's ETH is free). */
const LOCAL_PAYMASTER_DEPOSIT = parseEther("100");
const LOCAL_PAYMASTER_STAKE = parseEther("1");
const ONE_DAY = 24 * 60 * 60;

export class EntryPointSetupError extends Error {}

/** Deploys the deterministic deployer and the EntryPoint v0.8 at their canonical addresses. */
export async function putEntryPointOnChain(rpcUrl: string, deployer: LocalAccount): Promise<Address> {
  const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
  if (await publicClient.getCode({ address: ENTRY_POINT_V08 })) return ENTRY_POINT_V08;
  await publicClient.request({
    // biome-ignore lint/suspicious/noExplicitAny: a Hardhat-only RPC method, not in viem's schema
    method: "hardhat_setCode" as any,
    // biome-ignore lint/suspicious/noExplicitAny: idem
    params: [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_CODE] as any,
  });
  const artefact = require("@account-abstraction/contracts/artifacts/EntryPoint.json") as { bytecode: Hex };
  const wallet = createWalletClient({ chain: hardhat, transport: http(rpcUrl), account: deployer });
  const hash = await wallet.sendTransaction({
    to: DETERMINISTIC_DEPLOYER,
    data: concat([ENTRY_POINT_V08_SALT, artefact.bytecode]),
    gas: 10_000_000n,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !(await publicClient.getCode({ address: ENTRY_POINT_V08 }))) {
    throw new EntryPointSetupError(
      `The EntryPoint v0.8 did not appear at ${ENTRY_POINT_V08}: the npm artefact's creation code is not the canonical one.`,
    );
  }
  return getAddress(ENTRY_POINT_V08);
}

/** Funds and stakes the city paymaster as the local treasurer (the city admin here). */
export async function fundLocalPaymaster(rpcUrl: string, paymaster: Address): Promise<void> {
  const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
  const treasurer = createWalletClient({
    chain: hardhat,
    transport: http(rpcUrl),
    account: localAccount(ROLE_HOLDERS.admin.index),
  });
  const send = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new EntryPointSetupError(`paymaster setup transaction ${hash} reverted`);
  };
  const contract = { address: paymaster, abi: cityPaymasterAbi } as const;
  await send(await treasurer.writeContract({ ...contract, functionName: "deposit", value: LOCAL_PAYMASTER_DEPOSIT }));
  await send(
    await treasurer.writeContract({
      ...contract,
      functionName: "addStake",
      args: [ONE_DAY],
      value: LOCAL_PAYMASTER_STAKE,
    }),
  );
}
