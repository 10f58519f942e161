// The deployed contracts on the chain this build targets, from the generated bindings. Pages
// import these instead of ever writing an address; `deployment` is undefined when the contracts
// are not deployed on that chain, and the shell says so.
import { cityYuanAbi, deploymentFor, merchantRegistryAbi } from "@generated/contracts";
import { expectedChainId } from "./env";

export const deployment = deploymentFor(expectedChainId);

export function requireDeployment() {
  if (!deployment) throw new Error(`Hefei City Yuan is not deployed on chain ${expectedChainId}`);
  return deployment;
}

export const cityYuan = deployment
  ? ({ address: deployment.contracts.CityYuan, abi: cityYuanAbi } as const)
  : undefined;
export const merchantRegistry = deployment
  ? ({ address: deployment.contracts.MerchantRegistry, abi: merchantRegistryAbi } as const)
  : undefined;
