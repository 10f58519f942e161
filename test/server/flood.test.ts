// Queues and caps that hold against throwaway accounts (issue 12), on SQLite and PostgreSQL: a
// flood of top-up requests from one client is refused with 429 (the few it lets through are
// refused as unverified: a top-up needs a verified person) while a real resident's request (from
// elsewhere, or a verified resident's from behind the same address) still reaches the desk, whose
// queue pages, filters and sorts; stale requests expire; every per-account cap holds under
// concurrent requests; daily write quotas.
import { getAddress, keccak256, toHex } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_CONTACTS, MAX_NOTES } from "../../core/api.js";
import type { ServerConfig } from "../../server/src/config.js";
import {
  account,
  bindCard,
  call,
  customer,
  DATABASES,
  randomAccount,
  signIn,
  signInVerified,
  startTestService,
  type TestService,
  WANG,
} from "./helpers.js";

const resident = account(6);
const issuer = account(1);
const ATTACKER_IP = "203.0.113.66";
const RESIDENT_IP = "198.51.100.7";

describe.each(DATABASES)("flood resistance on %s", (database) => {
  let service: TestService;
  afterEach(async () => {
    await service?.close();
  });

  // Behind one reverse proxy: the client is the X-Forwarded-For entry the proxy appended.
  const from = (ip: string) => ({ "x-forwarded-for": ip });
  const start = (config: Partial<ServerConfig> = {}) =>
    startTestService({
      database,
      isIssuer: async (a) => a === issuer.address,
      // Generous database timeouts: these tests are about the caps, not about a loaded machine.
      config: {
        trustedProxyHops: 1,
        verifyRatePerMinute: 1000,
        nonceRatePerMinute: 1000,
        pgConnectTimeoutMs: 20_000,
        pgStatementTimeoutMs: 20_000,
        pgLockTimeoutMs: 20_000,
        ...config,
      },
    });

  it("test_FloodOfTopUpsFromThrowawayAccounts_Refused429_RealResidentStillOnTheDesk", async () => {
    service = await start();
    const throwaway = await Promise.all(
      Array.from({ length: 25 }, async () => (await signIn(service, randomAccount())).cookie),
    );
    const statuses = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        call(service.app, "POST", "/topups", {
          cookie: throwaway[i % throwaway.length],
          body: { amountFen: 100, cardLast4: "0000" },
          headers: from(ATTACKER_IP),
        }),
      ),
    );
    // The network address's allowance lets a few through, refused as unverified; none is on the desk.
    const admitted = statuses.filter((r) => r.status === 403);
    const refused = statuses.filter((r) => r.status === 429);
    expect(statuses.filter((r) => r.status === 201)).toEqual([]);
    expect(admitted.length).toBe(service.config.requestRatePerClientPerMinute);
    expect(admitted[0]?.json.error).toBe("not_verified");
    expect(refused.length).toBe(500 - admitted.length);
    expect(refused[0]?.json.error).toBe("too_many_requests");
    expect(refused[0]?.json.message).toMatch(/wait a minute/);
    expect(Number(refused[0]?.headers.get("retry-after"))).toBeGreaterThan(0);

    service.clock.advance(1000);
    // A verified resident behind the very same address is not locked out: she is limited as a
    // person, never by her network address.
    const neighbour = await signIn(service, account(7));
    expect((await bindCard(service, neighbour.cookie, WANG)).status).toBe(201);
    const hers = await call(service.app, "POST", "/topups", {
      cookie: neighbour.cookie,
      body: { amountFen: 5_000, cardLast4: "6206" },
      headers: from(ATTACKER_IP),
    });
    expect(hers.status).toBe(201);
    service.clock.advance(1000);
    const cookie = (await signInVerified(service, resident, customer("李明"))).cookie;
    const mine = await call(service.app, "POST", "/topups", {
      cookie,
      body: { amountFen: 88_800, cardLast4: "6207" },
      headers: from(RESIDENT_IP),
    });
    expect(mine.status).toBe(201);
    await service.bank.settled();
    const desk = (await signIn(service, issuer)).cookie;
    const byOwner = await call(service.app, "GET", `/desk/topups?owner=${resident.address}`, { cookie: desk });
    expect(byOwner.json).toMatchObject({ total: 1, topUps: [{ id: mine.json.id, owner: resident.address }] });
    const newest = await call(service.app, "GET", "/desk/topups?sort=newest&limit=1", { cookie: desk });
    expect(newest.json).toMatchObject({ total: 2, topUps: [{ id: mine.json.id }] });
    const biggest = await call(service.app, "GET", "/desk/topups?sort=amount_desc&limit=1", { cookie: desk });
    expect(biggest.json.topUps).toEqual([expect.objectContaining({ id: mine.json.id })]);
  });

  it("test_FloodFromManyClients_GlobalCap429", async () => {
    service = await start({ requestRatePerClientPerMinute: 5, requestRatePerMinute: 12 });
    // Five people, each verified by a phone of her own.
    const cookies = await Promise.all(
      Array.from({ length: 5 }, async () => (await signInVerified(service, randomAccount())).cookie),
    );
    const results = [];
    for (let i = 0; i < 20; i++) {
      results.push(
        await call(service.app, "POST", "/topups", {
          cookie: cookies[i % 5],
          body: { amountFen: 100, cardLast4: "0000" },
          headers: from(`203.0.113.${i}`),
        }),
      );
    }
    expect(results.filter((r) => r.status === 201).length).toBe(12);
    expect(results.at(-1)?.status).toBe(429);
    expect(results.at(-1)?.json.error).toBe("service_busy");
    // A minute later the service accepts requests again.
    service.clock.advance(60_000);
    expect(
      (
        await call(service.app, "POST", "/topups", {
          cookie: cookies[0],
          body: { amountFen: 100, cardLast4: "0000" },
          headers: from(RESIDENT_IP),
        })
      ).status,
    ).toBe(201);
  });

  it("test_DeskQueuePagesFiltersSorts_RefusesBadParameters", async () => {
    service = await start({ requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000 });
    const cookie = (await signInVerified(service, resident, customer("李明"))).cookie;
    for (const fen of [300, 100, 200]) {
      service.clock.advance(1000);
      expect(
        (await call(service.app, "POST", "/topups", { cookie, body: { amountFen: fen, cardLast4: "6225" } })).status,
      ).toBe(201);
    }
    await service.bank.settled();
    const desk = (await signIn(service, issuer)).cookie;
    const get = async (query: string) =>
      (await call(service.app, "GET", `/desk/topups?${query}`, { cookie: desk })).json;
    const amounts = (r: Record<string, unknown>) => (r.topUps as { amountFen: string }[]).map((t) => t.amountFen);
    expect(amounts(await get("sort=oldest"))).toEqual(["300", "100", "200"]);
    expect(amounts(await get("sort=newest"))).toEqual(["200", "100", "300"]);
    expect(amounts(await get("sort=amount_asc"))).toEqual(["100", "200", "300"]);
    expect(await get("sort=amount_desc&limit=1&offset=1")).toMatchObject({ total: 3, topUps: [{ amountFen: "200" }] });
    expect(amounts(await get("state=deposit_confirmed"))).toHaveLength(3);
    expect(amounts(await get("state=issued"))).toEqual([]);
    for (const [query, field] of [
      ["sort=sideways", "sort"],
      ["state=whatever", "state"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["offset=-1", "offset"],
      ["owner=0x123", "owner"],
    ]) {
      const res = await call(service.app, "GET", `/desk/topups?${query}`, { cookie: desk });
      expect(res.status, query).toBe(400);
      expect(res.json.message, query).toMatch(new RegExp(`^${field}:`));
    }
  });

  it("test_StaleRequestsExpire_AndLeaveTheQueue", async () => {
    service = await start();
    const cookie = (await signInVerified(service, resident, customer("李明"))).cookie;
    const topUp = (await call(service.app, "POST", "/topups", { cookie, body: { amountFen: 500, cardLast4: "6207" } }))
      .json as { id: string };
    // The simulated bank confirms a deposit at once: put it back to waiting for one that never comes.
    await service.bank.settled();
    await service.db.run("UPDATE topups SET state = 'awaiting_deposit' WHERE id = ?", [topUp.id]);
    const cashOut = await call(service.app, "POST", "/cashouts", {
      cookie,
      body: { amountFen: 100, cardLast4: "1234" },
    });
    expect(await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs)).toEqual({
      topUps: 0,
      cashOuts: 0,
    });
    service.clock.advance(service.config.requestTtlMs + 1);
    expect(await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs)).toEqual({
      topUps: 1,
      cashOuts: 1,
    });
    expect((await service.bank.topUp(topUp.id))?.state).toBe("expired");
    expect((await service.bank.cashOut(cashOut.json.id as string))?.state).toBe("expired");
    const desk = (await signIn(service, issuer)).cookie;
    expect((await call(service.app, "GET", "/desk/topups", { cookie: desk })).json.total).toBe(0);
  });

  it("test_OpenRequestCap_HoldsUnderConcurrentRequests", async () => {
    service = await start({
      requestRatePerAccountPerMinute: 1000,
      requestRatePerClientPerMinute: 1000,
      requestRatePerMinute: 1000,
    });
    const cookie = (await signInVerified(service, resident, customer("李明"))).cookie;
    const post = (path: string) =>
      call(service.app, "POST", path, { cookie, body: { amountFen: 100, cardLast4: "6225" } });
    for (const path of ["/topups", "/cashouts"]) {
      const results = await Promise.all(Array.from({ length: 60 }, () => post(path)));
      expect(results.filter((r) => r.status === 201).length, path).toBe(20);
      const refused = results.filter((r) => r.status === 409);
      expect(refused.length, path).toBe(40);
      expect(refused[0]?.json.error).toBe("too_many_open_requests");
    }
    await service.bank.settled();
    const open = await service.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM topups WHERE owner = ? AND state IN ('awaiting_deposit', 'deposit_confirmed')",
      [resident.address.toLowerCase()],
    );
    expect(Number(open?.n)).toBe(20);
  });

  it("test_ContactAndNoteCaps_HoldUnderConcurrentRequests", async () => {
    service = await start({
      dailyWritesPerAccount: 10_000,
      dailyWritesPerClient: 10_000,
      writesPerAccountPerMinute: 1000,
    });
    const cookie = (await signIn(service, resident)).cookie;
    const owner = resident.address.toLowerCase();
    const addr = (i: number) => getAddress(keccak256(toHex(`contact-${i}`)).slice(0, 42));
    const ref = (i: number) => keccak256(toHex(`order-${i}`));
    await service.db.transaction(async (tx) => {
      for (let i = 0; i < MAX_CONTACTS - 5; i++) {
        const a = addr(i).toLowerCase();
        await tx.run(
          "INSERT INTO contacts (owner, address, name, head4, tail4, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)",
          [owner, a, `c${i}`, a.slice(2, 6), a.slice(-4)],
        );
      }
      for (let i = 0; i < MAX_NOTES - 5; i++) {
        await tx.run("INSERT INTO order_notes (owner, order_ref, note, updated_at) VALUES (?, ?, 'n', 1)", [
          owner,
          ref(i),
        ]);
      }
    });
    const contacts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(service.app, "POST", "/contacts", { cookie, body: { name: `新朋友${i}`, address: addr(10_000 + i) } }),
      ),
    );
    expect(contacts.filter((r) => r.status === 201).length).toBe(5);
    expect(contacts.filter((r) => r.json.error === "too_many_contacts").length).toBe(25);
    const notes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(service.app, "PUT", `/notes/${ref(10_000 + i)}`, { cookie, body: { note: "少辣" } }),
      ),
    );
    expect(notes.filter((r) => r.status === 200).length).toBe(5);
    expect(notes.filter((r) => r.json.error === "too_many_notes").length).toBe(25);
    const count = async (table: string) =>
      Number((await service.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE owner = ?`, [owner]))?.n);
    expect(await count("contacts")).toBe(MAX_CONTACTS);
    expect(await count("order_notes")).toBe(MAX_NOTES);
  });

  it("test_NotesQuota_OneAccountCannotStoreMegabytes_OthersUnaffected", async () => {
    // The reviewer's script: 1,000 notes of 500 characters as fast as it can.
    service = await start({ dailyWritesPerAccount: 10_000, dailyWritesPerClient: 10_000 });
    const cookie = (await signIn(service, resident)).cookie;
    const long = "辣".repeat(500); // 1,500 bytes in UTF-8
    const ref = (i: number) => keccak256(toHex(`quota-${i}`));
    const burst = [];
    for (let i = 0; i < 100; i++) {
      burst.push((await call(service.app, "PUT", `/notes/${ref(i)}`, { cookie, body: { note: long } })).status);
    }
    // 60 changes a minute per account; the rest of the burst is refused before anything is written.
    expect(burst.filter((s) => s === 200).length).toBe(60);
    expect(burst.filter((s) => s === 429).length).toBe(40);
    const refused = await call(service.app, "PUT", `/notes/${ref(999)}`, { cookie, body: { note: long } });
    expect(refused.json.error).toBe("writing_too_fast");
    expect(refused.headers.get("retry-after")).not.toBeNull();

    // Minute after minute it reaches the storage quota (1 MiB: ~650 such notes), then nothing more fits.
    let stored = 60;
    let quotaHit: Awaited<ReturnType<typeof call>> | undefined;
    for (let minute = 1; minute < 20 && quotaHit === undefined; minute++) {
      service.clock.advance(60_000);
      for (let i = 0; i < 60; i++) {
        const res = await call(service.app, "PUT", `/notes/${ref(1000 * minute + i)}`, {
          cookie,
          body: { note: long },
        });
        if (res.status === 200) stored++;
        else {
          quotaHit = res;
          break;
        }
      }
    }
    expect(quotaHit?.status).toBe(409);
    expect(quotaHit?.json.error).toBe("storage_quota_exceeded");
    expect(stored).toBe(Math.floor((1024 * 1024) / (1500 + 128)));
    const bytes = await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM order_notes WHERE owner = ?", [
      resident.address.toLowerCase(),
    ]);
    expect(Number(bytes?.n)).toBe(stored);
    // Contacts share the quota; a shorter note in place of a long one still fits, and so does a delete.
    service.clock.advance(60_000);
    // What is left (1 MiB − 644 × 1,628 = 144 bytes) is less than a 40-character name takes.
    const longName = "王".repeat(40);
    const contact = await call(service.app, "POST", "/contacts", {
      cookie,
      body: { name: longName, address: account(7).address },
    });
    expect(contact.json.error).toBe("storage_quota_exceeded");
    expect((await call(service.app, "PUT", `/notes/${ref(0)}`, { cookie, body: { note: "少辣" } })).status).toBe(200);
    expect(
      (await call(service.app, "POST", "/contacts", { cookie, body: { name: longName, address: account(7).address } }))
        .status,
    ).toBe(201);
    // Another resident is not touched by this account's quota or rate.
    const other = (await signIn(service, account(8))).cookie;
    expect((await call(service.app, "PUT", `/notes/${ref(1)}`, { cookie: other, body: { note: long } })).status).toBe(
      200,
    );
  }, 120_000);

  it("test_DailyWriteQuota_PerAccountAndPerClient", async () => {
    service = await start({ dailyWritesPerAccount: 3, dailyWritesPerClient: 5 });
    const cookie = (await signIn(service, resident)).cookie;
    const put = (c: string, ip: string, name: string) =>
      call(service.app, "PUT", "/profile", { cookie: c, body: { displayName: name }, headers: from(ip) });
    for (let i = 0; i < 3; i++) expect((await put(cookie, RESIDENT_IP, `王${i}`)).status).toBe(200);
    const over = await put(cookie, RESIDENT_IP, "王阿姨");
    expect(over.status).toBe(429);
    expect(over.json.error).toBe("daily_write_limit");
    // Reads still work.
    expect((await call(service.app, "GET", "/profile", { cookie })).status).toBe(200);
    // One client rotating throwaway accounts hits the per-client quota.
    const results = [];
    for (let i = 0; i < 6; i++) {
      const c = (await signIn(service, randomAccount())).cookie;
      results.push((await put(c, ATTACKER_IP, `x${i}`)).status);
    }
    expect(results).toEqual([200, 200, 200, 200, 200, 429]);
    service.clock.advance(24 * 60 * 60 * 1000);
    const tomorrow = (await signIn(service, resident)).cookie;
    expect((await put(tomorrow, RESIDENT_IP, "王阿姨")).status).toBe(200);
  });
});
