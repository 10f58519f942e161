// A resident ticket is signed only for a red packet that exists on chain (issue 21: one was signed
// for a packet that did not exist, which could then be held for a packet created later under that
// number) and is open to residents now (issue 22: a residents' packet with shares left). Checked against a real `hardhat node` with CityYuan and RedPacket deployed from their
// compiled artefacts; the service asks the chain through its provider, nothing is mocked.
import { readFileSync } from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cityYuanAbi, redPacketAbi } from "../../generated/contracts.js";
import {
  account,
  bindCard,
  call,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  signIn,
  startTestService,
  type TestService,
  WANG,
  walletFor,
} from "./helpers.js";

let node: HardhatNode;
let provider: JsonRpcProvider;
let service: TestService;
let redPacket: Address;
let cookie: string;
const alice = account(6);

async function write(signer: ReturnType<typeof account>, address: Address, abi: unknown, fn: string, args: unknown[]) {
  const hash = await walletFor(node.url, signer).writeContract({
    address,
    abi: abi as typeof redPacketAbi,
    functionName: fn as never,
    args: args as never,
  });
  return publicClientFor(node.url).waitForTransactionReceipt({ hash });
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  const { cityYuan } = await deployCityYuan(node.url);
  const artefact = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/RedPacket.sol/RedPacket.json"), "utf8"),
  ) as { bytecode: Hex };
  const hash = await walletFor(node.url, account(0)).deployContract({
    abi: redPacketAbi,
    bytecode: artefact.bytecode,
    args: [cityYuan, account(0).address, 0],
  });
  redPacket = (await publicClientFor(node.url).waitForTransactionReceipt({ hash })).contractAddress as Address;
  // Alice holds tokens and creates packet 1 (for her friends).
  await write(account(1), cityYuan, cityYuanAbi, "issue", [alice.address, 10_000n, keccak256(toHex("seed"))]);
  await write(alice, cityYuan, cityYuanAbi, "approve", [redPacket, 10_000n]);
  await write(alice, redPacket, redPacketAbi, "create", [
    {
      amount: 1_000n,
      shares: 1n,
      mode: 0,
      audience: 0, // Friend: one named friend
      audienceKey: `0x${account(7).address.slice(2).toLowerCase().padStart(64, "0")}`,
      duration: 3600n,
      greeting: "",
    },
  ]);
  await write(account(0), redPacket, redPacketAbi, "setTicketSigner", ["0x254F973504E609fd1B36edFb8764B7d471a5CCB0"]);
  // Packet 2 is for verified residents (its link key is any address; the ticket is what counts).
  await write(alice, redPacket, redPacketAbi, "create", [
    {
      amount: 1_000n,
      shares: 2n,
      mode: 0,
      audience: 3,
      audienceKey: `0x${account(8).address.slice(2).toLowerCase().padStart(64, "0")}`,
      duration: 3600n,
      greeting: "",
    },
  ]);
  provider = new JsonRpcProvider(node.url, Network.from(31337), { staticNetwork: true });
  // The routes read the RedPacket's address from the environment at each request.
  process.env.HCY_RED_PACKET_ADDRESS = redPacket;
  service = await startTestService({ provider });
  cookie = (await signIn(service, alice)).cookie;
  expect((await bindCard(service, cookie, WANG)).status).toBe(201);
}, 240_000);

afterAll(async () => {
  delete process.env.HCY_RED_PACKET_ADDRESS;
  await service?.close();
  provider?.destroy();
  await node?.stop();
});

describe("resident tickets and the chain", () => {
  it("test_TicketForAPacketThatDoesNotExist_Refused", async () => {
    expect(
      await publicClientFor(node.url).readContract({
        address: redPacket,
        abi: redPacketAbi,
        functionName: "packetCount",
      }),
    ).toBe(2n);
    const missing = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "3" } });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("not_found");
    expect(missing.json.signature).toBeUndefined();
    const far = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "999999" } });
    expect(far.status).toBe(404);
    // The residents' packet that exists gets its ticket, for this contract.
    const ok = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "2" } });
    expect(ok.status).toBe(200);
    expect(ok.json.contract).toBe(getAddress(redPacket));
  });

  it("test_TicketForAPacketNotForResidents_Refused", async () => {
    // Packet 1 exists but is one friend's: a ticket for it is refused (it would be a signed
    // nullifier for nothing, and says nothing good about who asks).
    const friends = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "1" } });
    expect(friends.status).toBe(409);
    expect(friends.json.error).toBe("ticket_target_closed");
  });

  it("test_TicketForAnExpiredResidentsPacket_Refused", async () => {
    // Past the packet's expiry by the chain's own clock (blocks mined within one second each take
    // the next second, so the chain runs a few seconds ahead of the wall clock).
    const { expiry } = await publicClientFor(node.url).readContract({
      address: redPacket,
      abi: redPacketAbi,
      functionName: "packet",
      args: [2n],
    });
    service.clock.advance(Math.max(0, (Number(expiry) + 1) * 1000 - service.clock.now()));
    const session = (await signIn(service, alice)).cookie;
    const expired = await call(service.app, "POST", "/redpackets/tickets", {
      cookie: session,
      body: { packetId: "2" },
    });
    expect(expired.status).toBe(409);
    expect(expired.json.error).toBe("ticket_target_closed");
    cookie = session;
  });

  it("test_TicketWhenTheNodeIsDown_Answers503NotASignature", async () => {
    await node.stop();
    try {
      const res = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "5" } });
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("chain_unavailable");
    } finally {
      await node.start();
    }
  });
});
