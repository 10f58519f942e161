// Gas of RedPacket operations (transaction gasUsed), in the issue's benchmark setting: a 2-decimal
// token (HCY), 10-share packets, claimers that held no HCY before unless a row says otherwise. A
// random claim commits its share and draws (pays) the share committed before it, so its cost
// depends on whether that earlier claimer already held HCY.
// `measureRedPacketGas(viem)` feeds `npm run bench`; run alone with
//   npx hardhat run --build-profile production scripts/bench/redpacket-gas.ts
// Steady state: the sender has created a packet before (permit nonce and balance slots are not
// fresh) and the escrow already holds other packets, as on a live system. Mask Network's
// HappyRedPacket on the same toolchain: create 171,324 + approve 46,306; claim 104,700 (random),
// 82,823 (equal).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { encodeAbiParameters, type Hex, keccak256, pad, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PACKET_AUDIENCE, PACKET_MODE } from "../../core/enums.js";
import { declaredDomain, permitTypedData, splitPermitSignature } from "../../core/permit.js";
import { checkTarget } from "./mode.js";

type Viem = Awaited<ReturnType<typeof network.create>>["viem"];

export interface RedPacketGasRow {
  operation: string;
  gas: bigint;
  note?: string;
}

/** The issue's targets for a link claim of an equal packet, by a new holder and an existing one. */
export const CLAIM_NEW_HOLDER_TARGET = 80_000n;
export const CLAIM_EXISTING_HOLDER_TARGET = 60_000n;

const BANK_REF: Hex = "0x42414e4b2d303030303031000000000000000000000000000000000000000000"; // "BANK-000001"
// One issue per bank reference: every issue takes a new one.
let deposits = 0;
const nextBankRef = (): Hex => keccak256(stringToHex(`BANK-DEPOSIT-${++deposits}`));
const AMOUNT = 8_888n; // 88.88 yuan
const SHARES = 10n;
const GREETING = "恭喜发财，大吉大利"; // 27 bytes
// The one-time key a link carries (fixed for a reproducible benchmark; the dApp makes a fresh one).
const LINK_KEY = privateKeyToAccount("0x8e4a2b5c1d0f9e7a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a");
// The city service's ticket key (a benchmark stand-in).
const TICKET_KEY = privateKeyToAccount("0x1c4e7b2a9d3f6e8c5b0a7d4e1f8c2b5a9e6d3c0f7a4b1e8d5c2f9a6b3e0d7c4a");

export async function measureRedPacketGas(viem: Viem): Promise<RedPacketGasRow[]> {
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [admin, alice, relayer] = wallets;
  const fresh = wallets.slice(3); // never hold HCY until they claim
  const chainId = await publicClient.getChainId();

  // The attesting side apart from the admin and issuer (CityYuan refuses both on one address).
  const reserveAttester = (await viem.getWalletClients())[19];
  const token = await viem.deployContract("CityYuan", [
    admin.account.address,
    86_400,
    reserveAttester.account.address,
    reserveAttester.account.address,
    35n * 24n * 3600n,
  ]);
  const redPacket = await viem.deployContract("RedPacket", [token.address, admin.account.address, 86_400]);
  const gasOf = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`benchmark transaction ${hash} reverted`);
    return receipt.gasUsed;
  };

  await gasOf(await token.write.grantRole([await token.read.ISSUER_ROLE(), admin.account.address]));
  await gasOf(await token.write.increaseIssuerAllowance([admin.account.address, 10n ** 15n]));
  await gasOf(
    await token.write.attestReserves([10n ** 15n, BANK_REF, "https://reserves.example/bench.pdf"], {
      account: reserveAttester.account,
    }),
  );
  await gasOf(await token.write.issue([alice.account.address, 10_000_000n, nextBankRef()]));

  const spec = (audience: number, audienceKey: Hex, shares: bigint, mode: number) => ({
    amount: AMOUNT,
    shares,
    mode,
    audience,
    audienceKey,
    duration: 0n,
    greeting: GREETING,
  });
  const linkSpec = (mode: number) => spec(PACKET_AUDIENCE.link, pad(LINK_KEY.address), SHARES, mode);

  const tokenDomain = declaredDomain(await publicClient.getEip712Domain({ address: token.address }));
  const createWithPermit = async (s: ReturnType<typeof spec>) => {
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const nonce = await token.read.nonces([alice.account.address]);
    const signature = await alice.signTypedData(
      permitTypedData(tokenDomain, {
        owner: alice.account.address,
        spender: redPacket.address,
        value: s.amount,
        nonce,
        deadline,
      }),
    );
    const { v, r, s: sPart } = splitPermitSignature(signature);
    const gas = await gasOf(
      await redPacket.write.createWithPermit([s, deadline, v, r, sPart], { account: alice.account }),
    );
    return { gas, packetId: await redPacket.read.packetCount() };
  };

  const linkSignature = (packetId: bigint, claimer: Hex) =>
    LINK_KEY.signTypedData({
      domain: { name: "Hefei City Red Packet", version: "1", chainId, verifyingContract: redPacket.address },
      types: {
        Claim: [
          { name: "packetId", type: "uint256" },
          { name: "claimer", type: "address" },
        ],
      },
      primaryType: "Claim",
      message: { packetId, claimer },
    });

  let nextFresh = 1; // fresh[0] is the 1:1 friend
  const freshClaimer = () => {
    const wallet = fresh[nextFresh++];
    if (!wallet) throw new Error("not enough fresh accounts for the benchmark");
    return wallet;
  };
  const claimByLink = async (packetId: bigint, wallet: (typeof wallets)[number]) =>
    gasOf(
      await redPacket.write.claimWithSignature([packetId, await linkSignature(packetId, wallet.account.address)], {
        account: wallet.account,
      }),
    );
  const claimAsResident = async (packetId: bigint, wallet: (typeof wallets)[number], identity: string) => {
    const nullifier = keccak256(stringToHex(identity));
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const ticket = await TICKET_KEY.signTypedData({
      domain: { name: "Hefei City Red Packet", version: "1", chainId, verifyingContract: redPacket.address },
      types: {
        ResidentTicket: [
          { name: "packetId", type: "uint256" },
          { name: "claimer", type: "address" },
          { name: "nullifier", type: "bytes32" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "ResidentTicket",
      message: { packetId, claimer: wallet.account.address, nullifier, deadline },
    });
    return gasOf(
      await redPacket.write.claimAsResident(
        [packetId, await linkSignature(packetId, wallet.account.address), nullifier, deadline, ticket],
        { account: wallet.account },
      ),
    );
  };
  // Existing holders: they got HCY before (as most residents have).
  const [holderA, holderB, holderC] = [wallets[2], wallets[10], wallets[11]];
  for (const holder of [holderA, holderB, holderC]) {
    await gasOf(await token.write.issue([holder.account.address, 100n, nextBankRef()]));
  }
  await gasOf(await redPacket.write.setTicketSigner([TICKET_KEY.address], { account: admin.account }));

  // Warm-up: the sender's first permit and the escrow's first deposit pay for fresh slots.
  const first = await createWithPermit(linkSpec(PACKET_MODE.random));

  const createRandom = await createWithPermit(linkSpec(PACKET_MODE.random));
  const createEqual = await createWithPermit(linkSpec(PACKET_MODE.equal));
  const createOneToOne = await createWithPermit(
    spec(PACKET_AUDIENCE.friend, pad(fresh[0].account.address), 1n, PACKET_MODE.equal),
  );
  const createResidents = await createWithPermit(
    spec(PACKET_AUDIENCE.residents, pad(LINK_KEY.address), SHARES, PACKET_MODE.equal),
  );

  // Approve + create, for wallets that cannot sign permits.
  const approveGas = await gasOf(await token.write.approve([redPacket.address, AMOUNT], { account: alice.account }));
  const createAfterApprove = await gasOf(
    await redPacket.write.create([linkSpec(PACKET_MODE.random)], { account: alice.account }),
  );

  // Equal shares, paid in the claim: a new holder, then an existing one.
  const claimEqualNew = await claimByLink(createEqual.packetId, freshClaimer());
  const claimEqualHolder = await claimByLink(createEqual.packetId, holderA);
  const claimOneToOne = await gasOf(
    await redPacket.write.claim([createOneToOne.packetId], { account: fresh[0].account }),
  );
  const claimResidentNew = await claimAsResident(createResidents.packetId, freshClaimer(), "resident 1");
  const claimResidentHolder = await claimAsResident(createResidents.packetId, holderB, "resident 2");

  // Random shares: the first claim only commits; each later claim commits and draws (pays) the
  // share before it, whose claimer is a new holder (X) or an existing one (holder C); settle
  // draws the last waiting share. Each claim is its own block on this chain.
  const newX = freshClaimer();
  const claimRandomFirst = await claimByLink(createRandom.packetId, newX);
  const claimRandomDrawNew = await claimByLink(createRandom.packetId, holderC);
  const claimRandomDrawHolder = await claimByLink(createRandom.packetId, freshClaimer());
  const settleNew = await gasOf(await redPacket.write.settle([createRandom.packetId], { account: relayer.account }));

  // A relayed claim: the relayer pays the gas with the claimer's consent; the new holder gets it.
  const relayedTo = freshClaimer();
  const consentDeadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const consent = await relayedTo.signTypedData({
    account: relayedTo.account,
    domain: { name: "Hefei City Red Packet", version: "1", chainId, verifyingContract: redPacket.address },
    types: {
      ClaimConsent: [
        { name: "packetId", type: "uint256" },
        { name: "claimer", type: "address" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "ClaimConsent",
    message: { packetId: createEqual.packetId, claimer: relayedTo.account.address, deadline: consentDeadline },
  });
  const claimRelayed = await gasOf(
    await redPacket.write.claimFor(
      [
        relayedTo.account.address,
        createEqual.packetId,
        await linkSignature(createEqual.packetId, relayedTo.account.address),
        consentDeadline,
        consent,
      ],
      { account: relayer.account },
    ),
  );

  // Named friends: a tree of 8 addresses (3-step proof), the claimer a new holder, equal shares.
  const friends = wallets.slice(12, 20).map((w) => w.account.address);
  const leaves = friends.map((a) => keccak256(keccak256(encodeAbiParameters([{ type: "address" }], [a]))));
  const hashPair = (a: Hex, b: Hex) =>
    keccak256(BigInt(a) < BigInt(b) ? (`${a}${b.slice(2)}` as Hex) : (`${b}${a.slice(2)}` as Hex));
  const level1 = [0, 2, 4, 6].map((i) => hashPair(leaves[i], leaves[i + 1]));
  const level2 = [hashPair(level1[0], level1[1]), hashPair(level1[2], level1[3])];
  const root = hashPair(level2[0], level2[1]);
  const friendsPacket = await createWithPermit(spec(PACKET_AUDIENCE.friends, root, SHARES, PACKET_MODE.equal));
  const claimFriends = await gasOf(
    await redPacket.write.claimWithProof([friendsPacket.packetId, [leaves[1], level1[1], level2[1]]], {
      account: wallets[12].account,
    }),
  );

  // Refund of a partly claimed packet, triggered by someone other than the sender.
  const block = await publicClient.getBlock();
  await publicClient.request({
    method: "evm_setNextBlockTimestamp",
    params: [Number(block.timestamp) + 86_400],
  } as never);
  const refund = await gasOf(await redPacket.write.refundExpired([createEqual.packetId], { account: relayer.account }));

  const newTarget = `target <= ${CLAIM_NEW_HOLDER_TARGET.toLocaleString("en-US")}`;
  const holderTarget = `target <= ${CLAIM_EXISTING_HOLDER_TARGET.toLocaleString("en-US")}`;
  return [
    {
      operation: "permit + create, 10 shares, random, link",
      gas: createRandom.gas,
      note: "Mask 171,324 + approve 46,306; primes the draw slot",
    },
    {
      operation: "permit + create, 10 shares, equal, link",
      gas: createEqual.gas,
      note: "Mask 171,324 + approve 46,306",
    },
    { operation: "permit + create, 10 shares, equal, verified residents", gas: createResidents.gas },
    { operation: "permit + create, 1:1 friend", gas: createOneToOne.gas },
    {
      operation: "permit + create, sender's first permit, empty escrow",
      gas: first.gas,
      note: "fresh nonce and escrow balance slots",
    },
    { operation: "permit + create, 10 shares, named friends (Merkle)", gas: friendsPacket.gas },
    { operation: "approve", gas: approveGas },
    { operation: "create after approve, 10 shares, random", gas: createAfterApprove },
    { operation: "claim equal, link, new holder", gas: claimEqualNew, note: `${newTarget}; Mask 82,823` },
    { operation: "claim equal, link, existing holder", gas: claimEqualHolder, note: `${holderTarget}; Mask 82,823` },
    { operation: "claim equal, verified resident (ticket), new holder", gas: claimResidentNew, note: "nullifier slot" },
    { operation: "claim equal, verified resident (ticket), existing holder", gas: claimResidentHolder },
    { operation: "claim 1:1 friend, new holder", gas: claimOneToOne, note: "no per-claimer marker" },
    { operation: "claim equal, named friends (3-step proof), new holder", gas: claimFriends, note: "address marker" },
    { operation: "claim equal, link, relayed with consent (claimFor), new holder", gas: claimRelayed },
    {
      operation: "claim random, link, first claim (commit only)",
      gas: claimRandomFirst,
      note: `${holderTarget} for the claim itself; Mask random 104,700`,
    },
    {
      operation: "claim random, link, commit + draw and pay the previous share to a new holder",
      gas: claimRandomDrawNew,
      note: "the claim plus the previous claimer's payout (her first HCY)",
    },
    {
      operation: "claim random, link, commit + draw and pay the previous share to an existing holder",
      gas: claimRandomDrawHolder,
      note: "the claim plus the previous claimer's payout; Mask random 104,700",
    },
    { operation: "settle: draw and pay the last waiting share, new holder", gas: settleNew },
    { operation: "refund after expiry (by a third party)", gas: refund },
  ];
}

export function formatRedPacketGas(rows: RedPacketGasRow[]): string {
  const header = ["operation", "gas", "note"];
  const lines = rows.map((r) => [r.operation, r.gas.toLocaleString("en-US"), r.note ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}

// `hardhat run <script>` imports the script, so its path is among the arguments, not argv[1].
if (process.argv.some((arg) => path.resolve(arg) === fileURLToPath(import.meta.url))) {
  const { viem } = await network.create();
  const rows = await measureRedPacketGas(viem);
  process.stdout.write(`${formatRedPacketGas(rows)}\n`);
  for (const [operation, target] of [
    ["claim equal, link, new holder", CLAIM_NEW_HOLDER_TARGET],
    ["claim equal, link, existing holder", CLAIM_EXISTING_HOLDER_TARGET],
    ["claim random, link, first claim (commit only)", CLAIM_EXISTING_HOLDER_TARGET],
  ] as const) {
    const row = rows.find((r) => r.operation === operation);
    if (!row) throw new Error(`no row for ${operation}`);
    checkTarget(row.gas <= target, `${operation}: ${row.gas} gas <= ${target}`);
  }
}
