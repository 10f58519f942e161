// Residents' passkey accounts and the city paymaster, deployed after the city ledger (HefeiCity.ts)
// and the family money (FamilyMoney.ts). This is the module a deployment runs: it includes both.
// The account recovery contract (guardians, delays 48 hours / 7 days, the city's recovery desk
// `recoveryDesk` holding RECOVERY_DESK_ROLE), the CREATE2 account factory (with OpenZeppelin's
// WebAuthn verifier and the account implementation it deploys, which trusts that recovery contract
// for `recoverPasskeys` only) and the paymaster that sponsors calls to the city's contracts (HCY,
// red packets, vouchers, 亲属卡, delayed transfers, recovery) when the city service signed them (its
// key, `sponsorSigner`, holds SPONSOR_SIGNER_ROLE).
// The EntryPoint is not deployed here: it is the v0.8 singleton at its canonical address on every
// chain (scripts/lib/entrypoint.ts puts it on the local chain). Funding and staking the paymaster is
// the treasurer's step (see README "Accounts, paymaster and bundler").
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toHex } from "viem";
import FamilyMoney from "./FamilyMoney.js";

/** EntryPoint v0.8 (eth-infinitism), the same address on every chain. */
export const ENTRY_POINT_V08 = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";

const role = (name: string) => keccak256(toHex(name));

export default buildModule("CityAccounts", (m) => {
  const city = m.useModule(FamilyMoney);
  const deployer = m.getAccount(0);
  const adminTransferDelay = m.getParameter("adminTransferDelay", 3 * 24 * 60 * 60);
  const entryPoint = m.getParameter("entryPoint", ENTRY_POINT_V08);
  const policy = {
    maxCallGas: m.getParameter("maxCallGas", 600_000),
    maxVerificationGas: m.getParameter("maxVerificationGas", 1_000_000),
    maxPreVerificationGas: m.getParameter("maxPreVerificationGas", 200_000),
    maxPaymasterGas: m.getParameter("maxPaymasterGas", 150_000),
    maxFeePerGas: m.getParameter("maxFeePerGas", 0n),
  };

  // After the city and family modules, so their contracts keep their addresses. The recovery contract
  // comes first: the account implementation holds its address.
  const cityRecovery = m.contract(
    "CityRecovery",
    [
      m.getParameter("familyRecoveryDelay", 48 * 60 * 60),
      m.getParameter("deskRecoveryDelay", 7 * 24 * 60 * 60),
      deployer,
      adminTransferDelay,
    ],
    { after: [FamilyMoney] },
  );
  m.call(cityRecovery, "grantRole", [role("RECOVERY_DESK_ROLE"), m.getParameter("recoveryDesk")], {
    id: "grantRecoveryDesk",
  });
  const cityAccountFactory = m.contract("CityAccountFactory", [entryPoint, cityRecovery], { after: [FamilyMoney] });
  const cityPaymaster = m.contract(
    "CityPaymaster",
    [
      entryPoint,
      cityAccountFactory,
      {
        cityYuan: city.cityYuan,
        redPacket: city.redPacket,
        vouchers: city.vouchers,
        familyCards: city.familyCards,
        delayedTransfers: city.delayedTransfers,
        recovery: cityRecovery,
      },
      policy,
      m.getParameter("sponsorSigner"),
      deployer,
      adminTransferDelay,
    ],
    { after: [FamilyMoney] },
  );
  m.call(cityPaymaster, "grantRole", [role("POLICY_ROLE"), m.getParameter("paymasterPolicyOfficer")], {
    id: "grantPaymasterPolicy",
  });
  m.call(cityPaymaster, "grantRole", [role("TREASURER_ROLE"), m.getParameter("paymasterTreasurer")], {
    id: "grantPaymasterTreasurer",
  });
  m.call(cityPaymaster, "grantRole", [role("PAUSER_ROLE"), m.getParameter("paymasterPauser")], {
    id: "grantPaymasterPauser",
  });

  return { ...city, cityRecovery, cityAccountFactory, cityPaymaster };
});
