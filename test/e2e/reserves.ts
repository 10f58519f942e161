// The bank's side of a test's top-up: before the desk issues `fen`, the attester publishes reserves
// that hold it (CityYuan refuses to issue past the latest attested reserves, less what was redeemed
// since). Only raises them, and then with the deposits a bank holds awaiting issue (DEPOSITS), so
// the tests after still find headroom.
import { type Address, createPublicClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { localChain } from "./browser.js";

const DEPOSITS = 10_000_00n;

export async function reservesFor(system: { rpcUrl: string; contracts: { CityYuan: Address } }, fen: bigint) {
  const chain = localChain(system.rpcUrl);
  const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
  const token = { address: system.contracts.CityYuan, abi: cityYuanAbi } as const;
  const [supply, reserves, attestedAt, maxAge, block] = await Promise.all([
    client.readContract({ ...token, functionName: "totalSupply" }),
    client.readContract({ ...token, functionName: "latestReserves" }),
    client.readContract({ ...token, functionName: "latestAttestationTime" }),
    client.readContract({ ...token, functionName: "maxReportAge" }),
    client.getBlock(),
  ]);
  // A report near its maximum age (a test may have moved the chain's clock) is renewed too.
  const fresh = BigInt(attestedAt) + BigInt(maxAge) > block.timestamp + 3_600n;
  if (fresh && supply + fen <= reserves) return;
  const attester = createWalletClient({
    account: localAccount(ROLE_HOLDERS.attester.index),
    chain,
    transport: http(system.rpcUrl),
  });
  const label = `e2e-deposit-${Date.now()}`;
  const hash = await attester.writeContract({
    ...token,
    functionName: "attestReserves",
    args: [supply + fen + DEPOSITS, keccak256(stringToHex(label)), `https://reserves.hefei.example/${label}.pdf`],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`reserve attestation reverted: ${hash}`);
}
