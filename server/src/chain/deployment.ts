// Where CityYuan and the escrows live on the configured chain: from the generated bindings
// (generated/contracts.ts, written after the Ignition deployment). Environment overrides
// (HCY_CITY_YUAN_ADDRESS, HCY_DEPLOY_BLOCK, HCY_ESCROW_ADDRESSES, HCY_MERCHANT_REGISTRY_ADDRESS,
// HCY_CITY_RECOVERY_ADDRESS) win, for a deployment the
// bindings do not know (a test chain, a freshly deployed network).
import { getAddress, isAddress } from "viem";
import { deploymentFor } from "../../../generated/contracts.js";
import type { WatchedDeployment } from "./cityYuan.js";

export function resolveDeployment(chainId: number, env: NodeJS.ProcessEnv): WatchedDeployment | undefined {
  const cityYuan = env.HCY_CITY_YUAN_ADDRESS?.trim();
  if (cityYuan !== undefined && cityYuan !== "") {
    if (!isAddress(cityYuan)) throw new Error("HCY_CITY_YUAN_ADDRESS is not an address");
    const escrows = (env.HCY_ESCROW_ADDRESSES ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    for (const e of escrows) if (!isAddress(e)) throw new Error(`HCY_ESCROW_ADDRESSES: ${e} is not an address`);
    const deployBlock = BigInt(env.HCY_DEPLOY_BLOCK?.trim() || "0");
    const registry = env.HCY_MERCHANT_REGISTRY_ADDRESS?.trim();
    if (registry && !isAddress(registry)) throw new Error("HCY_MERCHANT_REGISTRY_ADDRESS is not an address");
    const recovery = env.HCY_CITY_RECOVERY_ADDRESS?.trim();
    if (recovery && !isAddress(recovery)) throw new Error("HCY_CITY_RECOVERY_ADDRESS is not an address");
    return {
      chainId,
      deployBlock,
      cityYuan: getAddress(cityYuan),
      escrows: escrows.map((e) => getAddress(e)),
      merchantRegistry: registry ? getAddress(registry) : undefined,
      cityRecovery: recovery ? getAddress(recovery) : undefined,
    };
  }
  const generated = deploymentFor(chainId);
  if (generated === undefined) return undefined;
  return {
    chainId,
    deployBlock: BigInt(generated.deployBlock),
    cityYuan: getAddress(generated.contracts.CityYuan),
    escrows: [generated.contracts.RedPacket, generated.contracts.Vouchers].map((a) => getAddress(a)),
    merchantRegistry: getAddress(generated.contracts.MerchantRegistry),
    cityRecovery: getAddress(generated.contracts.CityRecovery),
  };
}
