// Gas per token operation (transaction gasUsed) for CityYuan beside two OpenZeppelin v5 baselines
// deployed on the same in-process chain: ERC20 + ERC20Permit, and the same + ERC20Pausable.
// `measureTokenGas()` feeds `npm run bench`; run alone with
//   npx hardhat run --build-profile production scripts/bench/token-gas.ts
// Every operation runs in the same state on each token (same accounts, same amounts, same
// recipients), so the calldata is identical and only the contract's work differs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Address, encodeFunctionData, type Hex, parseAbi, stringToHex } from "viem";
import { declaredDomain, permitTypedData, splitPermitSignature } from "../../core/permit.js";
import { checkTarget } from "./mode.js";

export interface TokenGasRow {
  operation: string;
  cityYuan: bigint;
  ozPermit: bigint;
  ozPausable: bigint;
  /** What the baselines did where they have no equivalent of the CityYuan operation. */
  note?: string;
  /** A call CityYuan refuses (reverted transaction's gas); the baselines have no equivalent. */
  refused?: boolean;
}

const AMOUNT = 12_345n; // 123.45 yuan in fen
const FUNDING = 1_000_000n;
const ORDER_REF: Hex = "0x4f524445522d323032362d30312d303030303031000000000000000000000000"; // "ORDER-2026-01-000001"
// One issue per bank reference: each issue below takes the next one ("BANK-000001", "BANK-000002", …).
let deposits = 0;
const nextBankRef = (): Hex => stringToHex(`BANK-${String(++deposits).padStart(6, "0")}`, { size: 32 });
const CASH_OUT_REF: Hex = stringToHex("CASH-OUT-000001", { size: 32 });
const REPORT_HASH: Hex = stringToHex("RESERVE-REPORT-000001", { size: 32 });
// Recipients that have never held the token (nonzero, no leading zero bytes: same calldata cost).
const NEW_HOLDER: Address = "0x1111111111111111111111111111111111111111";
const NEW_SPENDER: Address = "0x2222222222222222222222222222222222222222";
const PERMIT_SPENDER: Address = "0x3333333333333333333333333333333333333333";
const NONCES_ABI = parseAbi(["function nonces(address owner) view returns (uint256)"]);

export async function measureTokenGas(): Promise<TokenGasRow[]> {
  const { viem } = await network.create();
  const publicClient = await viem.getPublicClient();
  const [admin, alice, bob, relayer, attester] = await viem.getWalletClients();

  // The attesting side apart from the admin (and issuer): the attester is also the attester admin.
  const cityYuan = await viem.deployContract("CityYuan", [
    admin.account.address,
    3 * 24 * 3600,
    attester.account.address,
    attester.account.address,
    35n * 24n * 3600n,
  ]);
  const ozPermit = await viem.deployContract("BaselineERC20Permit", [admin.account.address]);
  const ozPausable = await viem.deployContract("BaselinePausable", [admin.account.address]);

  const gasOf = async (hash: Hex) => (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;

  await gasOf(await cityYuan.write.grantRole([await cityYuan.read.ISSUER_ROLE(), admin.account.address]));
  await gasOf(await cityYuan.write.increaseIssuerAllowance([admin.account.address, 10n ** 15n]));
  await gasOf(
    await cityYuan.write.attestReserves([10n ** 15n, REPORT_HASH, "https://reserves.example/bench.pdf"], {
      account: attester.account,
    }),
  );

  type Op = (token: "cityYuan" | "ozPermit" | "ozPausable") => Promise<bigint>;
  // The three share the ERC-20 + permit surface the rows below call; one type keeps the calls checked.
  type Erc20 = typeof ozPausable;
  const tokens: Record<"cityYuan" | "ozPermit" | "ozPausable", Erc20> = {
    cityYuan: cityYuan as unknown as Erc20,
    ozPermit: ozPermit as unknown as Erc20,
    ozPausable,
  };

  // Funding: alice and bob hold tokens (bob is the "existing holder").
  const fund: Op = async (name) => {
    if (name === "cityYuan") {
      await gasOf(await cityYuan.write.issue([alice.account.address, FUNDING, nextBankRef()]));
      return gasOf(await cityYuan.write.issue([bob.account.address, FUNDING, nextBankRef()]));
    }
    const token = tokens[name];
    await gasOf(await token.write.mint([alice.account.address, FUNDING]));
    return gasOf(await token.write.mint([bob.account.address, FUNDING]));
  };

  const transferToNew: Op = async (name) =>
    gasOf(await tokens[name].write.transfer([NEW_HOLDER, AMOUNT], { account: alice.account }));
  const transferToExisting: Op = async (name) =>
    gasOf(await tokens[name].write.transfer([bob.account.address, AMOUNT], { account: alice.account }));
  // A merchant payment on a plain ERC-20 is a transfer to the merchant.
  const pay: Op = async (name) =>
    name === "cityYuan"
      ? gasOf(await cityYuan.write.pay([bob.account.address, AMOUNT, ORDER_REF], { account: alice.account }))
      : gasOf(await tokens[name].write.transfer([bob.account.address, AMOUNT], { account: alice.account }));
  const issue: Op = async (name) =>
    name === "cityYuan"
      ? gasOf(await cityYuan.write.issue([bob.account.address, AMOUNT, nextBankRef()]))
      : gasOf(await tokens[name].write.mint([bob.account.address, AMOUNT]));
  // A second issue under a reference already issued against: refused on chain. Sent with a fixed
  // gas limit (viem would simulate and stop it first), so its reverted transaction's gas is what a
  // clerk racing another pays.
  const secondIssueRefused = async (): Promise<bigint> => {
    const usedRef = stringToHex(`BANK-${String(deposits).padStart(6, "0")}`, { size: 32 });
    const data = encodeFunctionData({
      abi: cityYuan.abi,
      functionName: "issue",
      args: [bob.account.address, AMOUNT, usedRef],
    });
    const before = await publicClient.getBlockNumber();
    try {
      await admin.sendTransaction({ to: cityYuan.address, data, gas: 200_000n });
    } catch {
      // The node reports the revert; the transaction is mined all the same.
    }
    const block = await publicClient.getBlock({ blockNumber: before + 1n });
    const receipt = await publicClient.getTransactionReceipt({ hash: block.transactions[0] });
    if (receipt.status !== "reverted") throw new Error("a second issue under one bank reference was not refused");
    return receipt.gasUsed;
  };
  const redeem: Op = async (name) =>
    name === "cityYuan"
      ? gasOf(await cityYuan.write.redeem([AMOUNT, CASH_OUT_REF], { account: bob.account }))
      : gasOf(await tokens[name].write.burn([AMOUNT], { account: bob.account }));
  const approve: Op = async (name) =>
    gasOf(await tokens[name].write.approve([NEW_SPENDER, AMOUNT], { account: alice.account }));
  const permit: Op = async (name) => {
    const token = tokens[name];
    const deadline = 2n ** 48n;
    const nonce = await publicClient.readContract({
      address: token.address,
      abi: NONCES_ABI,
      functionName: "nonces",
      args: [alice.account.address],
    });
    const domain = declaredDomain(await publicClient.getEip712Domain({ address: token.address }));
    const signature = await alice.signTypedData(
      permitTypedData(domain, {
        owner: alice.account.address,
        spender: PERMIT_SPENDER,
        value: AMOUNT,
        nonce,
        deadline,
      }),
    );
    const { r, s, v } = splitPermitSignature(signature);
    return gasOf(
      await token.write.permit([alice.account.address, PERMIT_SPENDER, AMOUNT, deadline, v, r, s], {
        account: relayer.account,
      }),
    );
  };

  const run = async (op: Op) => ({
    cityYuan: await op("cityYuan"),
    ozPermit: await op("ozPermit"),
    ozPausable: await op("ozPausable"),
  });

  await run(fund);
  return [
    { operation: "transfer to a new holder", ...(await run(transferToNew)) },
    { operation: "transfer to an existing holder", ...(await run(transferToExisting)) },
    { operation: "pay", ...(await run(pay)), note: "baselines: transfer to an existing holder" },
    { operation: "issue", ...(await run(issue)), note: "baselines: mint by the owner" },
    {
      operation: "second issue under a bank reference",
      cityYuan: await secondIssueRefused(),
      ozPermit: 0n,
      ozPausable: 0n,
      note: "refused (CityYuanBankReferenceUsed); baselines have no references",
      refused: true,
    },
    { operation: "redeem", ...(await run(redeem)), note: "baselines: burn" },
    { operation: "approve", ...(await run(approve)) },
    { operation: "permit", ...(await run(permit)) },
  ];
}

/** Prints the table when run directly with `hardhat run`. */
export function formatTokenGas(rows: TokenGasRow[]): string {
  const pct = (a: bigint, b: bigint) => `${a >= b ? "+" : ""}${((Number(a - b) / Number(b)) * 100).toFixed(2)}%`;
  const header = ["operation", "CityYuan", "OZ Permit", "OZ Pausable", "vs Pausable", "note"];
  const lines = rows.map((r) => [
    r.operation,
    String(r.cityYuan),
    r.refused ? "-" : String(r.ozPermit),
    r.refused ? "-" : String(r.ozPausable),
    r.refused ? "-" : pct(r.cityYuan, r.ozPausable),
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}

// `hardhat run <script>` imports the script, so its path is among the arguments, not argv[1].
if (process.argv.some((arg) => path.resolve(arg) === fileURLToPath(import.meta.url))) {
  const rows = await measureTokenGas();
  process.stdout.write(`${formatTokenGas(rows)}\n`);
  // The target: a transfer, with its pause and freeze checks, at most 1% over ERC20Pausable's.
  for (const row of rows.filter((r) => r.operation.startsWith("transfer"))) {
    const limit = (row.ozPausable * 101n) / 100n;
    checkTarget(row.cityYuan <= limit, `${row.operation}: ${row.cityYuan} gas within 1% of ERC20Pausable (${limit})`);
  }
}
