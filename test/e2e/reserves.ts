// The bank's side of a test's top-up: before the desk issues `fen`, the attester publishes reserves
// that hold it (CityYuan refuses to issue past the latest attested reserves). Only raises them:
// headroom left by the seed or an earlier test is kept for the tests after.
import { type Address, createPublicClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { localChain } from "./browser.js";

export async function reservesFor(system: { rpcUrl: string; contracts: { CityYuan: Address } }, fen: bigint) {
  const chain = localChain(system.rpcUrl);
  const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
  const token = { address: system.contracts.CityYuan, abi: cityYuanAbi } as const;
  const [supply, reserves] = await Promise.all([
    client.readContract({ ...token, functionName: "totalSupply" }),
    client.readContract({ ...token, functionName: "latestReserves" }),
  ]);
  if (supply + fen <= reserves) return;
  const attester = createWalletClient({
    account: localAccount(ROLE_HOLDERS.attester.index),
    chain,
    transport: http(system.rpcUrl),
  });
  const label = `e2e-deposit-${Date.now()}`;
  const hash = await attester.writeContract({
    ...token,
    functionName: "attestReserves",
    args: [supply + fen, keccak256(stringToHex(label)), `https://reserves.hefei.example/${label}.pdf`],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`reserve attestation reverted: ${hash}`);
}
