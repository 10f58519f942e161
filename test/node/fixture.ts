// One shared fixture: a fresh in-process chain with the whole city deployed through the same
// Ignition module and local parameters `npm start` uses, plus the demo cast's wallets.
import path from "node:path";
import { network } from "hardhat";
import { type Address, stringToHex } from "viem";
import HefeiCity from "../../ignition/modules/HefeiCity.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";

export const PARAMETERS = path.resolve(import.meta.dirname, "..", "..", "ignition", "parameters", "localhost.json");

export const ref = (text: string) => stringToHex(text, { size: 32 });

export async function deployCity() {
  const connection = await network.create({ network: "hardhat" });
  const { viem, ignition } = connection;
  const contracts = await ignition.deploy(HefeiCity, { parameters: PARAMETERS, displayUi: false });
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const walletAt = (index: number) => {
    const wallet = wallets.find((w) => w.account.address.toLowerCase() === localAccount(index).address.toLowerCase());
    if (!wallet) throw new Error(`no wallet for account #${index}`);
    return wallet;
  };
  const issuer = walletAt(ROLE_HOLDERS.issuer.index);
  const attester = walletAt(ROLE_HOLDERS.attester.index);
  const fund = async (to: Address, amount: bigint) => {
    // Secure Mint: the attester publishes reserves covering the supply after issuing first.
    const supply = await contracts.cityYuan.read.totalSupply();
    const attested = await contracts.cityYuan.write.attestReserves(
      [supply + amount, ref(`reserves-${to.slice(2, 14)}`), "https://reserves.example/test.pdf"],
      { account: attester.account },
    );
    await publicClient.waitForTransactionReceipt({ hash: attested });
    const hash = await contracts.cityYuan.write.issue([to, amount, ref(`fund-${to.slice(2, 14)}`)], {
      account: issuer.account,
    });
    await publicClient.waitForTransactionReceipt({ hash });
  };
  return { connection, viem, publicClient, contracts, walletAt, fund };
}
