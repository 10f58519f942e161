// The deployed contracts on the chain this build targets, from the generated bindings: the one
// module pages take contract objects from (address + ABI, fully typed), so no page ever writes an
// address or carries an optional ABI. `deployment` is undefined when the contracts are not deployed
// on that chain: the shell (App.tsx) then shows only the banner that says so and renders no page,
// which is why the objects below can be non-optional.
import {
  cityYuanAbi,
  type Deployment,
  delayedTransfersAbi,
  deploymentFor,
  familyCardsAbi,
  merchantRegistryAbi,
  redPacketAbi,
  vouchersAbi,
} from "@generated/contracts";
import { zeroAddress } from "viem";
import { expectedChainId } from "./env";

export const deployment = deploymentFor(expectedChainId);

// Never read by a page (none renders without a deployment); it only keeps the types non-optional.
const notDeployed: Deployment = {
  chainId: expectedChainId,
  deployBlock: 0,
  contracts: {
    CityYuan: zeroAddress,
    MerchantRegistry: zeroAddress,
    RedPacket: zeroAddress,
    Vouchers: zeroAddress,
    CityRecovery: zeroAddress,
    CityAccountFactory: zeroAddress,
    CityPaymaster: zeroAddress,
    FamilyCards: zeroAddress,
    DelayedTransfers: zeroAddress,
  },
};
const deployed = deployment ?? notDeployed;

/** The block the history, the ledger page and the audit replay from. */
export const deployBlock = BigInt(deployed.deployBlock);
export const contractAddresses = deployed.contracts;

export const cityYuan = { address: deployed.contracts.CityYuan, abi: cityYuanAbi } as const;
export const merchantRegistry = { address: deployed.contracts.MerchantRegistry, abi: merchantRegistryAbi } as const;
export const redPacket = { address: deployed.contracts.RedPacket, abi: redPacketAbi } as const;
export const vouchers = { address: deployed.contracts.Vouchers, abi: vouchersAbi } as const;
export const familyCards = { address: deployed.contracts.FamilyCards, abi: familyCardsAbi } as const;
export const delayedTransfers = { address: deployed.contracts.DelayedTransfers, abi: delayedTransfersAbi } as const;
