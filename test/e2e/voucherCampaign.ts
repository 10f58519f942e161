// A voucher campaign the city's voucher office funds for a browser test: the issuer tops the office
// up with the budget, the office approves it and opens an open-to-all campaign from a minute ago.
import { type Address, createPublicClient, createWalletClient, type Hex, http, stringToHex } from "viem";
import { cityYuanAbi, vouchersAbi } from "../../generated/contracts.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { localChain } from "./browser.js";
import { reservesFor } from "./reserves.js";

export type OfficeCampaign = {
  kind: number;
  discount: bigint;
  minSpend: bigint;
  totalVouchers: number;
  perResidentLimit: number;
  /** A category campaign (bit i = IMerchantRegistry.Category(i)), or 0 with `merchants`. */
  categoryMask: number;
  merchants: readonly Address[];
  /** How much the office funds, in fen. */
  budget: bigint;
  /** How long the campaign runs from now, in seconds. */
  seconds: bigint;
};

/** Opens the campaign and returns its id. */
export async function officeCampaign(
  system: { rpcUrl: string; contracts: { CityYuan: Address; Vouchers: Address } },
  terms: OfficeCampaign,
): Promise<bigint> {
  const chain = localChain(system.rpcUrl);
  const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
  const wallet = (index: number) =>
    createWalletClient({ account: localAccount(index), chain, transport: http(system.rpcUrl) });
  const office = wallet(ROLE_HOLDERS.registrar.index);
  const mined = async (hash: Promise<Hex>) => {
    const receipt = await client.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`campaign set-up reverted: ${receipt.transactionHash}`);
  };
  await reservesFor(system, terms.budget);
  await mined(
    wallet(ROLE_HOLDERS.issuer.index).writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "issue",
      args: [office.account.address, terms.budget, stringToHex(`E2E-VOUCHER-BUDGET-${Date.now()}`, { size: 32 })],
    }),
  );
  await mined(
    office.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [system.contracts.Vouchers, terms.budget],
    }),
  );
  const now = (await client.getBlock()).timestamp;
  await mined(
    office.writeContract({
      address: system.contracts.Vouchers,
      abi: vouchersAbi,
      functionName: "createCampaign",
      args: [
        {
          kind: terms.kind,
          discount: terms.discount,
          cap: 0n,
          minSpend: terms.minSpend,
          startsAt: Number(now - 60n),
          endsAt: Number(now + terms.seconds),
          totalVouchers: terms.totalVouchers,
          perResidentLimit: terms.perResidentLimit,
          categoryMask: terms.categoryMask,
          merchants: terms.merchants,
          eligibleRoot: `0x${"0".repeat(64)}`,
          listSalt: `0x${"0".repeat(64)}`,
          residentsOnly: false,
        },
      ],
    }),
  );
  return client.readContract({ address: system.contracts.Vouchers, abi: vouchersAbi, functionName: "campaignCount" });
}
