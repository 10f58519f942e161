// Gas of 亲属卡 and 转账延时到账 (transaction gasUsed) on the in-process chain, beside a plain
// CityYuan `pay` and `transfer` made in the same state: offering and accepting a family card, paying
// a shop with it, and a delayed transfer's
// send (from an allowance and with a permit), cancel and release. `measureFamilyGas(viem)` feeds
// `npm run bench`; run alone with
//   npx hardhat run --build-profile production scripts/bench/family-gas.ts
// Every party already holds HCY, as for the token's "existing holder" rows.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Hex, keccak256, stringToHex } from "viem";
import { categoryIndex } from "../../core/enums.js";
import { declaredDomain, permitTypedData, splitPermitSignature } from "../../core/permit.js";

type Viem = Awaited<ReturnType<typeof network.create>>["viem"];

export interface FamilyGasRow {
  operation: string;
  gas: bigint;
  note?: string;
}

const YUAN = 100n; // fen
const AMOUNT = 12_345n; // 123.45 yuan
const SHORT_DELAY = 2n * 3600n;
const ALL_CATEGORIES = 255;
let deposits = 0;
const nextBankRef = (): Hex => keccak256(stringToHex(`BANK-DEPOSIT-${++deposits}`));
let orders = 0;
const nextOrder = (): Hex => keccak256(stringToHex(`ORDER-2027-01-${++orders}`));

export async function measureFamilyGas(viem: Viem): Promise<FamilyGasRow[]> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const [admin, son, mother, daughter, stranger, grocer, keeper] = await viem.getWalletClients();
  const reserveAttester = (await viem.getWalletClients())[19];
  const gasOf = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt.gasUsed;
  };

  const hcy = await viem.deployContract("CityYuan", [
    admin.account.address,
    0,
    reserveAttester.account.address,
    reserveAttester.account.address,
    35n * 24n * 3600n,
  ]);
  const registry = await viem.deployContract("MerchantRegistry", [admin.account.address, 0]);
  const cards = await viem.deployContract("FamilyCards", [hcy.address, registry.address]);
  const delayed = await viem.deployContract("DelayedTransfers", [hcy.address, registry.address]);
  await gasOf(await hcy.write.grantRole([await hcy.read.ISSUER_ROLE(), admin.account.address]));
  await gasOf(await hcy.write.increaseIssuerAllowance([admin.account.address, 10n ** 15n]));
  await gasOf(
    await hcy.write.attestReserves([10n ** 15n, nextBankRef(), "https://reserves.example/bench.pdf"], {
      account: reserveAttester.account,
    }),
  );
  await gasOf(await hcy.write.setCityEscrow([cards.address, true]));
  await gasOf(await hcy.write.setCityEscrow([delayed.address, true]));
  for (const who of [son, mother, daughter, stranger, grocer]) {
    await gasOf(await hcy.write.issue([who.account.address, 10_000n * YUAN, nextBankRef()]));
  }
  await gasOf(await registry.write.grantRole([await registry.read.REGISTRAR_ROLE(), admin.account.address]));
  await gasOf(await registry.write.register([grocer.account.address, "合家福超市", categoryIndex("grocery")]));

  const rows: FamilyGasRow[] = [];
  rows.push({
    operation: "CityYuan pay (baseline)",
    gas: await gasOf(await hcy.write.pay([grocer.account.address, AMOUNT, nextOrder()], { account: daughter.account })),
    note: "a resident paying a shop from her own balance",
  });
  rows.push({
    operation: "CityYuan transfer (baseline)",
    gas: await gasOf(await hcy.write.transfer([stranger.account.address, AMOUNT], { account: daughter.account })),
    note: "an immediate transfer to a person who holds HCY",
  });

  // ── family card ──
  await gasOf(await hcy.write.approve([cards.address, 1_000n * YUAN], { account: son.account }));
  const limits = { monthlyLimit: Number(1_000n * YUAN), perPaymentLimit: 0, categories: ALL_CATEGORIES };
  rows.push({
    operation: "family card: offer",
    gas: await gasOf(await cards.write.offer([mother.account.address, limits], { account: son.account })),
  });
  rows.push({
    operation: "family card: accept",
    gas: await gasOf(await cards.write.accept([1n], { account: mother.account })),
  });
  // Every payment rewrites the card's spending slot, nonzero since the offer, so the first payment
  // of a month costs what a later one does.
  rows.push({
    operation: "family card: payment",
    gas: await gasOf(
      await cards.write.pay([1n, grocer.account.address, AMOUNT, nextOrder()], { account: mother.account }),
    ),
    note: "funder's balance to the shop, recorded as his refundable payment",
  });

  // ── delayed transfers ──
  await gasOf(await hcy.write.approve([delayed.address, 4n * AMOUNT], { account: daughter.account }));
  const send = () => delayed.write.send([stranger.account.address, AMOUNT, SHORT_DELAY], { account: daughter.account });
  // A transfer that stays pending, so the escrow already holds HCY, as it will in the city.
  await gasOf(await send());
  rows.push({
    operation: "delayed transfer: send",
    gas: await gasOf(await send()),
    note: "from an existing allowance; the transfer fills two new slots",
  });
  rows.push({
    operation: "delayed transfer: cancel",
    gas: await gasOf(await delayed.write.cancel([2n], { account: daughter.account })),
    note: "by the sender, within the delay",
  });
  await gasOf(await send());
  await testClient.increaseTime({ seconds: Number(SHORT_DELAY) });
  await testClient.mine({ blocks: 1 });
  rows.push({
    operation: "delayed transfer: release",
    gas: await gasOf(await delayed.write.release([3n], { account: keeper.account })),
    note: "by a keeper, once due",
  });
  const deadline = 2n ** 48n;
  const domain = declaredDomain(await publicClient.getEip712Domain({ address: hcy.address }));
  const signature = await son.signTypedData(
    permitTypedData(domain, {
      owner: son.account.address,
      spender: delayed.address,
      value: AMOUNT,
      nonce: await hcy.read.nonces([son.account.address]),
      deadline,
    }),
  );
  const { v, r, s } = splitPermitSignature(signature);
  rows.push({
    operation: "delayed transfer: send with permit",
    gas: await gasOf(
      await delayed.write.sendWithPermit([stranger.account.address, AMOUNT, SHORT_DELAY, deadline, v, r, s], {
        account: son.account,
      }),
    ),
    note: "one transaction for a built-in wallet",
  });
  return rows;
}

export function formatFamilyGas(rows: FamilyGasRow[]): string {
  const header = ["operation", "gas", "note"];
  const lines = rows.map((r) => [r.operation, String(r.gas), r.note ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}

// `hardhat run <script>` imports the script, so its path is among the arguments, not argv[1].
if (process.argv.some((arg) => path.resolve(arg) === fileURLToPath(import.meta.url))) {
  const { viem } = await network.create();
  process.stdout.write(`${formatFamilyGas(await measureFamilyGas(viem))}\n`);
}
