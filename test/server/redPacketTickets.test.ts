// Resident tickets for verified-residents red packets and residents-only voucher campaigns: only an account the bank knows gets one;
// the ticket is the contract's EIP-712 ResidentTicket signed by the service's key, and the
// nullifier is per identity (the same for two addresses topped up from one card) and per packet.

import { type Address, type Hex, recoverTypedDataAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentFor } from "../../generated/contracts.js";
import { account, call, signIn, startTestService, type TestService } from "./helpers.js";

const LOCAL_TICKET_SIGNER = "0x254F973504E609fd1B36edFb8764B7d471a5CCB0";

let service: TestService;
const [alice, bob, carol, dave] = [account(6), account(7), account(8), account(9)];
const cookies: Record<string, string> = {};

async function topUpIssued(owner: Address, card: string, id: string) {
  await service.db.run(
    `INSERT INTO topups (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at)
     VALUES (?, ?, '100', ?, ?, 'issued', 1, 1)`,
    [id, owner.toLowerCase(), card, `0x${id.padStart(64, "0")}`],
  );
}

async function ticket(who: string, packetId: string) {
  return call(service.app, "POST", "/redpackets/tickets", { cookie: cookies[who], body: { packetId } });
}

beforeAll(async () => {
  // Existence on chain is its own test (ticketOnChain.test.ts, a real node); here every number exists.
  service = await startTestService({ deps: { ticketTargetExists: async () => true } });
  for (const [name, acct] of Object.entries({ alice, bob, carol, dave })) {
    cookies[name] = (await signIn(service, acct)).cookie;
  }
  await topUpIssued(alice.address, "1234", "1");
  await topUpIssued(bob.address, "1234", "2"); // alice's second address, same card
  await topUpIssued(carol.address, "5678", "3");
});
afterAll(async () => service.close());

describe("POST /redpackets/tickets", () => {
  it("signs the contract's ResidentTicket for the signed-in claimer with the service's key", async () => {
    const { status, json } = await ticket("alice", "7");
    expect(status).toBe(200);
    const contract = deploymentFor(31337)?.contracts.RedPacket as Address;
    expect(json.contract).toBe(contract);
    expect(json.claimer).toBe(alice.address);
    const deadline = BigInt(json.deadline as string);
    expect(Number(deadline) - Math.floor(service.clock.now() / 1000)).toBe(600);
    const signer = await recoverTypedDataAddress({
      domain: { name: "Hefei City Red Packet", version: "1", chainId: 31337, verifyingContract: contract },
      types: {
        ResidentTicket: [
          { name: "packetId", type: "uint256" },
          { name: "claimer", type: "address" },
          { name: "nullifier", type: "bytes32" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "ResidentTicket",
      message: { packetId: 7n, claimer: alice.address, nullifier: json.nullifier as Hex, deadline },
      signature: json.signature as Hex,
    });
    expect(signer).toBe(LOCAL_TICKET_SIGNER);
  });

  it("gives one identity the same nullifier on every address, and another identity another", async () => {
    const a = (await ticket("alice", "7")).json.nullifier;
    const b = (await ticket("bob", "7")).json.nullifier;
    const c = (await ticket("carol", "7")).json.nullifier;
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect((await ticket("alice", "8")).json.nullifier).not.toBe(a);
  });

  it("refuses an account the bank does not know, and a bad packet number", async () => {
    const unknown = await ticket("dave", "7");
    expect(unknown.status).toBe(403);
    expect(unknown.json.error).toBe("not_verified");
    for (const bad of ["0", "-1", "1e3", "x"]) {
      const res = await ticket("alice", bad);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe("invalid_field");
    }
    const anonymous = await call(service.app, "POST", "/redpackets/tickets", { body: { packetId: "7" } });
    expect(anonymous.status).toBe(401);
  });
});

describe("POST /vouchers/tickets", () => {
  const voucherTicket = (who: string, campaignId: string) =>
    call(service.app, "POST", "/vouchers/tickets", { cookie: cookies[who], body: { campaignId } });

  it("signs the Vouchers contract's ResidentTicket, bound to the campaign and the claimer", async () => {
    const { status, json } = await voucherTicket("alice", "3");
    expect(status).toBe(200);
    const contract = deploymentFor(31337)?.contracts.Vouchers as Address;
    expect(json.contract).toBe(contract);
    expect(json.campaignId).toBe("3");
    const signer = await recoverTypedDataAddress({
      domain: { name: "Hefei City Vouchers", version: "1", chainId: 31337, verifyingContract: contract },
      types: {
        ResidentTicket: [
          { name: "campaignId", type: "uint256" },
          { name: "claimer", type: "address" },
          { name: "nullifier", type: "bytes32" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "ResidentTicket",
      message: {
        campaignId: 3n,
        claimer: alice.address,
        nullifier: json.nullifier as Hex,
        deadline: BigInt(json.deadline as string),
      },
      signature: json.signature as Hex,
    });
    expect(signer).toBe(LOCAL_TICKET_SIGNER);
  });

  it("gives one identity one nullifier per campaign on every address, never a red packet's", async () => {
    const a = (await voucherTicket("alice", "3")).json.nullifier;
    expect((await voucherTicket("bob", "3")).json.nullifier).toBe(a);
    expect((await voucherTicket("carol", "3")).json.nullifier).not.toBe(a);
    expect((await voucherTicket("alice", "4")).json.nullifier).not.toBe(a);
    expect((await ticket("alice", "3")).json.nullifier).not.toBe(a);
  });

  it("refuses an unverified account, a bad campaign number, a packet field and no session", async () => {
    const unknown = await voucherTicket("dave", "3");
    expect(unknown.status).toBe(403);
    expect(unknown.json.error).toBe("not_verified");
    const bad = await voucherTicket("alice", "0");
    expect(bad.status).toBe(400);
    const wrongField = await call(service.app, "POST", "/vouchers/tickets", {
      cookie: cookies.alice,
      body: { packetId: "3" },
    });
    expect(wrongField.status).toBe(400);
    const anonymous = await call(service.app, "POST", "/vouchers/tickets", { body: { campaignId: "3" } });
    expect(anonymous.status).toBe(401);
  });
});

describe("ticket requests per account", () => {
  let limited: TestService;
  const session: Record<string, string> = {};
  beforeAll(async () => {
    limited = await startTestService({
      config: { ticketsPerAccountPerHour: 3 },
      deps: { ticketTargetExists: async () => true },
    });
    session.alice = (await signIn(limited, alice)).cookie;
    session.carol = (await signIn(limited, carol)).cookie;
  });
  afterAll(async () => limited.close());

  const ask = (who: string, path: "/redpackets/tickets" | "/vouchers/tickets", id: string) =>
    call(limited.app, "POST", path, {
      cookie: session[who],
      body: path === "/redpackets/tickets" ? { packetId: id } : { campaignId: id },
    });

  it("slows down one account asking in a loop, across both kinds, and lets it ask again an hour later", async () => {
    // Not verified here (no top-up in this service): each request still counts, as it costs a read.
    expect((await ask("alice", "/redpackets/tickets", "1")).status).toBe(403);
    expect((await ask("alice", "/vouchers/tickets", "1")).status).toBe(403);
    expect((await ask("alice", "/redpackets/tickets", "2")).status).toBe(403);
    const refused = await ask("alice", "/vouchers/tickets", "2");
    expect(refused.status).toBe(429);
    expect(refused.json.error).toBe("too_many_tickets");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another resident is not held up by alice's loop.
    expect((await ask("carol", "/redpackets/tickets", "1")).status).toBe(403);
    limited.clock.advance(60 * 60 * 1000);
    session.alice = (await signIn(limited, alice)).cookie; // the session itself has expired by now
    expect((await ask("alice", "/redpackets/tickets", "3")).status).toBe(403);
  });
});
