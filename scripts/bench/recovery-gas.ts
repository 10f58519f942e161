// Gas of account recovery (CityRecovery, transaction gasUsed) on the in-process chain: her account
// choosing guardians (applies at once the first time), scheduling and applying a change, a guardian
// starting a recovery, the approvals (the one that meets the threshold starts the delay), her device
// cancelling, and the execution that gives her account the new phone's passkey and removes the lost
// one. `measureRecoveryGas(viem)` feeds `npm run bench`; run alone with
//   npx hardhat run --build-profile production scripts/bench/recovery-gas.ts
// Her account's own calls are sent from its address (impersonated): a passkey operation adds the
// operation overhead the `account-gas` rows show. Guardians here are plain wallets.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Address, type Hex, keccak256, parseEther, stringToHex } from "viem";
import { ENTRY_POINT_V08 } from "../../ignition/modules/CityAccounts.js";
import { softwarePasskey } from "../lib/passkey.js";

type Viem = Awaited<ReturnType<typeof network.create>>["viem"];

export interface RecoveryGasRow {
  operation: string;
  gas: bigint;
  note?: string;
}

const FAMILY_DELAY = 48 * 3600;
const DESK_DELAY = 7 * 24 * 3600;

export async function measureRecoveryGas(viem: Viem): Promise<RecoveryGasRow[]> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const [admin, son, daughter, brother, clerk, keeper] = await viem.getWalletClients();
  const gasOf = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt.gasUsed;
  };

  const recovery = await viem.deployContract("CityRecovery", [FAMILY_DELAY, DESK_DELAY, admin.account.address, 0]);
  await gasOf(await recovery.write.grantRole([await recovery.read.RECOVERY_DESK_ROLE(), clerk.account.address]));
  // The factory only records the EntryPoint's address: no operation runs here.
  const factory = await viem.deployContract("CityAccountFactory", [ENTRY_POINT_V08, recovery.address]);
  const phone = softwarePasskey(keccak256(stringToHex("bench lost phone")));
  const newPhone = softwarePasskey(keccak256(stringToHex("bench new phone")));
  const otherPhone = softwarePasskey(keccak256(stringToHex("bench other new phone")));
  await gasOf(await factory.write.createAccount([phone.x, phone.y]));
  const wang: Address = await factory.read.accountAddress([phone.x, phone.y]);
  await testClient.impersonateAccount({ address: wang });
  await testClient.setBalance({ address: wang, value: parseEther("1") });
  const family = [son, daughter, brother].map((w) => w.account.address);
  const lost = [{ qx: phone.x, qy: phone.y }];
  const later = async (seconds: number) => {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  };

  const rows: RecoveryGasRow[] = [];
  rows.push({
    operation: "recovery: set guardians",
    gas: await gasOf(await recovery.write.setGuardians([family, 2, true], { account: wang })),
    note: "first choice, 3 family + the city desk, 2 needed; applies at once",
  });
  rows.push({
    operation: "recovery: schedule a guardian change",
    gas: await gasOf(await recovery.write.setGuardians([family.slice(0, 2), 2, true], { account: wang })),
    note: "waits 48 h; she can cancel it",
  });
  await later(FAMILY_DELAY);
  rows.push({
    operation: "recovery: apply the guardian change",
    gas: await gasOf(await recovery.write.applyGuardianChange([wang], { account: keeper.account })),
    note: "by anyone, after the delay; pending recoveries end",
  });

  // A recovery her old phone cancels.
  rows.push({
    operation: "recovery: start",
    gas: await gasOf(
      await recovery.write.startRecovery([wang, otherPhone.x, otherPhone.y, lost], { account: son.account }),
    ),
    note: "by a guardian, counts as the first approval; removes 1 lost passkey",
  });
  const cancelledId = await recovery.read.recoveryId([wang, otherPhone.x, otherPhone.y, lost]);
  rows.push({
    operation: "recovery: approve (meets the threshold)",
    gas: await gasOf(await recovery.write.approveRecovery([cancelledId], { account: daughter.account })),
    note: "the second of 2: the 48 h delay starts",
  });
  rows.push({
    operation: "recovery: cancel",
    gas: await gasOf(await recovery.write.cancelRecoveries({ account: wang })),
    note: "by her account (an operation of any of her passkeys); ends every pending recovery",
  });

  // The recovery that goes through: her son and the desk, then her daughter.
  await gasOf(await recovery.write.startRecovery([wang, newPhone.x, newPhone.y, lost], { account: son.account }));
  const id = await recovery.read.recoveryId([wang, newPhone.x, newPhone.y, lost]);
  rows.push({
    operation: "recovery: approve by the city desk",
    gas: await gasOf(await recovery.write.approveRecovery([id], { account: clerk.account })),
    note: "meets the threshold with the desk: 7 days",
  });
  rows.push({
    operation: "recovery: approve (family alone then suffices)",
    gas: await gasOf(await recovery.write.approveRecovery([id], { account: daughter.account })),
    note: "brings the wait down to 48 h from now",
  });
  await later(FAMILY_DELAY);
  rows.push({
    operation: "recovery: execute",
    gas: await gasOf(
      await recovery.write.executeRecovery([wang, newPhone.x, newPhone.y, lost], { account: keeper.account }),
    ),
    note: "by anyone after the delay: adds the new passkey, removes the lost one",
  });
  return rows;
}

export function formatRecoveryGas(rows: RecoveryGasRow[]): string {
  const header = ["operation", "gas", "note"];
  const lines = rows.map((r) => [r.operation, String(r.gas), r.note ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}

// `hardhat run <script>` imports the script, so its path is among the arguments, not argv[1].
if (process.argv.some((arg) => path.resolve(arg) === fileURLToPath(import.meta.url))) {
  const { viem } = await network.create();
  process.stdout.write(`${formatRecoveryGas(await measureRecoveryGas(viem))}\n`);
}
