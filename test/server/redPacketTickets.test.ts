// Resident tickets for verified-residents red packets and residents-only voucher campaigns: only a
// person the bank vouched for (实名, a bound card) gets one; the ticket is the contract's EIP-712
// ResidentTicket signed by the service's key, and the nullifier is per identity (the same on all
// of her addresses, never shared by two people whose cards end in the same 4 digits) and per
// packet. On SQLite and PostgreSQL.

import { type Address, type Hex, recoverTypedDataAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentFor } from "../../generated/contracts.js";
import type { TicketTargetState } from "../../server/src/http.js";
import {
  account,
  bindCard,
  call,
  DATABASES,
  signIn,
  startTestService,
  type TestService,
  WANG,
  WANG_XIUYING,
} from "./helpers.js";

const LOCAL_TICKET_SIGNER = "0x254F973504E609fd1B36edFb8764B7d471a5CCB0";

let service: TestService;
// 王阿姨's three addresses (alice, bob, erin); carol is 王秀英, whose card also ends in 6206; dave
// topped up from a card under the old rules but never verified his name.
const [alice, bob, carol, dave, erin] = [account(6), account(7), account(8), account(9), account(10)];
const cookies: Record<string, string> = {};

async function topUpIssued(owner: Address, card: string, id: string) {
  await service.db.run(
    `INSERT INTO topups (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at)
     VALUES (?, ?, '100', ?, ?, 'issued', 1, 1)`,
    [id, owner.toLowerCase(), card, `0x${id.padStart(64, "0")}`],
  );
}

async function verified(s: TestService, who: Record<string, string>) {
  for (const [name, acct] of Object.entries({ alice, bob, carol, dave, erin }))
    who[name] = (await signIn(s, acct)).cookie;
  for (const name of ["alice", "bob", "erin"]) expect((await bindCard(s, who[name] as string, WANG)).status).toBe(201);
  expect((await bindCard(s, who.carol as string, WANG_XIUYING)).status).toBe(201);
}

async function ticket(who: string, packetId: string) {
  return call(service.app, "POST", "/redpackets/tickets", { cookie: cookies[who], body: { packetId } });
}

describe.each(DATABASES)("resident tickets on %s", (database) => {
  beforeAll(async () => {
    // Whether a packet is open on chain is its own test (ticketOnChain.test.ts, a real node); here every number is.
    service = await startTestService({ database, deps: { ticketTarget: async () => "open" } });
    await verified(service, cookies);
    await topUpIssued(dave.address, "6209", "1");
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

    it("gives one person one nullifier on her three addresses; two people with the same last 4 digits get two", async () => {
      const a = (await ticket("alice", "7")).json.nullifier;
      expect((await ticket("bob", "7")).json.nullifier).toBe(a);
      expect((await ticket("erin", "7")).json.nullifier).toBe(a);
      const c = await ticket("carol", "7");
      expect(c.status).toBe(200);
      expect(c.json.nullifier).not.toBe(a);
      // Nullifiers do not link her claims across packets.
      expect((await ticket("alice", "8")).json.nullifier).not.toBe(a);
    });

    it("refuses an account with no verified identity (a top-up from a card is not one), and a bad packet number", async () => {
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

    it("gives one person one nullifier per campaign on every address, never a red packet's", async () => {
      const a = (await voucherTicket("alice", "3")).json.nullifier;
      expect((await voucherTicket("bob", "3")).json.nullifier).toBe(a);
      expect((await voucherTicket("erin", "3")).json.nullifier).toBe(a);
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

  describe("ticket requests per account and per person", () => {
    let limited: TestService;
    const session: Record<string, string> = {};
    let state: TicketTargetState = "open";
    beforeAll(async () => {
      limited = await startTestService({
        database,
        config: { ticketsPerAccountPerHour: 3 },
        deps: { ticketTarget: async () => state },
      });
      await verified(limited, session);
    });
    afterAll(async () => limited.close());

    const ask = (who: string, path: "/redpackets/tickets" | "/vouchers/tickets", id: string) =>
      call(limited.app, "POST", path, {
        cookie: session[who],
        body: path === "/redpackets/tickets" ? { packetId: id } : { campaignId: id },
      });

    it("slows down one account asking in a loop, across both kinds, and lets it ask again an hour later", async () => {
      // Not verified: each request still counts, as it costs a read.
      expect((await ask("dave", "/redpackets/tickets", "1")).status).toBe(403);
      expect((await ask("dave", "/vouchers/tickets", "1")).status).toBe(403);
      expect((await ask("dave", "/redpackets/tickets", "2")).status).toBe(403);
      const refused = await ask("dave", "/vouchers/tickets", "2");
      expect(refused.status).toBe(429);
      expect(refused.json.error).toBe("too_many_tickets");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another resident is not held up by dave's loop.
      expect((await ask("carol", "/redpackets/tickets", "1")).status).toBe(200);
    });

    it("counts one person's tickets together: her other addresses do not multiply the limit", async () => {
      expect((await ask("alice", "/redpackets/tickets", "1")).status).toBe(200);
      expect((await ask("bob", "/vouchers/tickets", "1")).status).toBe(200);
      expect((await ask("erin", "/redpackets/tickets", "2")).status).toBe(200);
      for (const who of ["alice", "bob", "erin"]) {
        const refused = await ask(who, "/redpackets/tickets", "3");
        expect(refused.status, who).toBe(429);
        expect(refused.json.error).toBe("too_many_tickets");
      }
      // 王秀英 (same last 4 digits, another person) still has hers.
      expect((await ask("carol", "/redpackets/tickets", "3")).status).toBe(200);
      limited.clock.advance(60 * 60 * 1000);
      session.alice = (await signIn(limited, alice)).cookie; // the session itself has expired by now
      expect((await ask("alice", "/redpackets/tickets", "3")).status).toBe(200);
    });

    it("refuses a packet or campaign that is not open to residents, with no signature", async () => {
      state = "closed";
      try {
        session.carol = (await signIn(limited, carol)).cookie;
        const closed = await ask("carol", "/vouchers/tickets", "4");
        expect(closed.status).toBe(409);
        expect(closed.json.error).toBe("ticket_target_closed");
        expect(closed.json.signature).toBeUndefined();
        state = "missing";
        expect((await ask("carol", "/redpackets/tickets", "4")).status).toBe(404);
      } finally {
        state = "open";
      }
    });
  });
});
