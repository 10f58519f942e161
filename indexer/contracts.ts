// What the indexer indexes: the city's contracts and their ABIs, from generated/contracts.ts.
import {
  cityAccountFactoryAbi,
  cityPaymasterAbi,
  cityYuanAbi,
  type Deployment,
  delayedTransfersAbi,
  deploymentFor,
  familyCardsAbi,
  merchantRegistryAbi,
  redPacketAbi,
  vouchersAbi,
} from "../generated/contracts.js";

export const INDEXED_CONTRACTS = {
  CityYuan: cityYuanAbi,
  MerchantRegistry: merchantRegistryAbi,
  RedPacket: redPacketAbi,
  Vouchers: vouchersAbi,
  CityAccountFactory: cityAccountFactoryAbi,
  CityPaymaster: cityPaymasterAbi,
  FamilyCards: familyCardsAbi,
  DelayedTransfers: delayedTransfersAbi,
} as const;

export type IndexedContract = keyof typeof INDEXED_CONTRACTS;

/** The deployment of the chain named by HCY_CHAIN_ID (default the local chain, 31337). */
export function indexerDeployment(): Deployment {
  const chainId = Number(process.env.HCY_CHAIN_ID ?? 31337);
  const deployment = deploymentFor(chainId);
  if (!deployment) {
    throw new Error(`No deployment of the city's contracts for chain ${chainId} in generated/contracts.ts.`);
  }
  return deployment;
}
