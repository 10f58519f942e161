// What the service needs to know about the deployed ledger: the CityYuan events it watches, the
// role check for the issuer's desk, and where the contracts live on the configured chain.
import { type Address, keccak256, parseAbi, toHex } from "viem";

// Until generated/contracts.ts exists these fragments follow contracts/interfaces/ICityYuan.sol.
export const cityYuanWatchAbi = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Issued(address indexed issuer, address indexed to, uint256 amount, bytes32 indexed bankRef)",
  "event Redeemed(address indexed account, uint256 amount, bytes32 indexed bankRef)",
  "event PaymentMade(bytes32 indexed paymentId, address indexed payer, address indexed payee, uint256 amount, bytes32 orderRef)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
]);

export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

export interface WatchedDeployment {
  chainId: number;
  deployBlock: bigint;
  cityYuan: Address;
  /** Escrows (red packets, vouchers): token moves into and out of them are not peer payments. */
  escrows: Address[];
}
