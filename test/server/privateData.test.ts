// Private data: every field validated, clear JSON errors, body limits, CSRF and CORS, and one
// owner never reaching another's data.

import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, call, randomAccount, signIn, startTestService, type TestService } from "./helpers.js";

const alice = account(6);
const bob = account(7);
const friend = getAddress("0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c");
const orderRef = `0x${"ab".repeat(32)}`;
let service: TestService;
let aliceCookie: string;
let bobCookie: string;

beforeAll(async () => {
  service = await startTestService();
  aliceCookie = (await signIn(service, alice)).cookie;
  bobCookie = (await signIn(service, bob)).cookie;
});
afterAll(async () => {
  await service.close();
});

const as = (cookie: string) => ({
  get: (path: string) => call(service.app, "GET", path, { cookie }),
  put: (path: string, body: unknown) => call(service.app, "PUT", path, { cookie, body }),
  post: (path: string, body: unknown) => call(service.app, "POST", path, { cookie, body }),
  del: (path: string) => call(service.app, "DELETE", path, { cookie }),
});

describe("profile", () => {
  it("stores a display name and normalises a Chinese mobile number", async () => {
    const res = await as(aliceCookie).put("/profile", { displayName: "王阿姨", phone: "138 0013 8000" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ displayName: "王阿姨", phone: "+8613800138000" });
    expect((await as(aliceCookie).get("/profile")).json).toMatchObject({ displayName: "王阿姨" });
  });

  it("test_RevertWhen_PhoneNotChineseMobile", async () => {
    for (const phone of ["12345", "+1 415 555 0100", "+86 2800138000", "1380013800a"]) {
      const res = await as(aliceCookie).put("/profile", { phone });
      expect(res.status, phone).toBe(400);
      expect(res.json.error).toBe("invalid_field");
      expect(res.json.message).toMatch(/^phone:/);
    }
  });

  it("test_RevertWhen_DisplayNameOversize", async () => {
    const res = await as(aliceCookie).put("/profile", { displayName: "张".repeat(41) });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("field_too_long");
    expect((await as(aliceCookie).put("/profile", { displayName: "张".repeat(40) })).status).toBe(200);
  });

  it("test_RevertWhen_FieldHasWrongType", async () => {
    const res = await as(aliceCookie).put("/profile", { displayName: 42 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "invalid_field", message: "displayName: must be a string" });
  });
});

describe("contacts", () => {
  it("adds, renames and deletes a contact, returned checksummed", async () => {
    const added = await as(aliceCookie).post("/contacts", { name: "李明", address: friend.toLowerCase() });
    expect(added.status).toBe(201);
    expect(added.json.address).toBe(friend);
    const renamed = await as(aliceCookie).put(`/contacts/${friend}`, { name: "小李" });
    expect(renamed.status).toBe(200);
    expect(renamed.json.name).toBe("小李");
    expect((await as(aliceCookie).get("/contacts")).json.contacts).toEqual([
      expect.objectContaining({ address: friend, name: "小李" }),
    ]);
  });

  it("test_RevertWhen_FieldsMissing", async () => {
    const noName = await as(aliceCookie).post("/contacts", { address: friend });
    expect(noName.status).toBe(400);
    expect(noName.json).toEqual({ error: "missing_field", message: "name is required" });
    const noAddress = await as(aliceCookie).post("/contacts", { name: "x" });
    expect(noAddress.json).toEqual({ error: "missing_field", message: "address is required" });
    const blank = await as(aliceCookie).post("/contacts", { name: "   ", address: friend });
    expect(blank.json.error).toBe("missing_field");
  });

  it("test_RevertWhen_FieldsOversize", async () => {
    const res = await as(aliceCookie).post("/contacts", { name: "a".repeat(41), address: friend });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("field_too_long");
    const note = await as(aliceCookie).put(`/notes/${orderRef}`, { note: "n".repeat(501) });
    expect(note.json.error).toBe("field_too_long");
  });

  it("test_RevertWhen_AddressInvalidOrBadChecksum", async () => {
    const badChecksum = friend.replace(/[a-f]/, (ch) => ch.toUpperCase());
    for (const address of ["0x1234", "not an address", badChecksum]) {
      const res = await as(aliceCookie).post("/contacts", { name: "x", address });
      expect(res.status, address).toBe(400);
      expect(res.json.error).toBe("invalid_field");
    }
  });

  it("test_RevertWhen_ContactLimitReached", async () => {
    const busy = randomAccount();
    const cookie = (await signIn(service, busy)).cookie;
    for (let i = 0; i < 500; i++) {
      if (i % 50 === 49) service.clock.advance(60_000); // 60 changes a minute per account
      const address = getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`);
      const added = await as(cookie).post("/contacts", { name: `c${i}`, address });
      expect(added.status, `${i} ${JSON.stringify(added.json)}`).toBe(201);
    }
    const res = await as(cookie).post("/contacts", { name: "one more", address: friend });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe("too_many_contacts");
  });
});

describe("order notes and alert settings", () => {
  it("keeps a note per order reference", async () => {
    expect((await as(aliceCookie).put(`/notes/${orderRef}`, { note: "两碗牛肉面，少辣" })).status).toBe(200);
    expect((await as(aliceCookie).get(`/notes/${orderRef}`)).json.note).toBe("两碗牛肉面，少辣");
    expect((await as(aliceCookie).get("/notes/0x1234")).json.error).toBe("invalid_field");
    // Notes may span lines; names may not carry control characters.
    expect((await as(aliceCookie).put(`/notes/${orderRef}`, { note: "第一行\n第二行" })).status).toBe(200);
    expect((await as(aliceCookie).put(`/notes/${orderRef}`, { note: "两碗牛肉面，少辣" })).status).toBe(200);
    const bell = await as(aliceCookie).post("/contacts", { name: "a\u0007b", address: friend });
    expect(bell.json.error).toBe("invalid_field");
  });

  it("sets the large-payment threshold in fen", async () => {
    expect((await as(aliceCookie).get("/settings/alerts")).json.largePaymentFen).toBe("100000");
    expect((await as(aliceCookie).put("/settings/alerts", { largePaymentFen: 50_000 })).status).toBe(200);
    expect((await as(aliceCookie).get("/settings/alerts")).json.largePaymentFen).toBe("50000");
    for (const largePaymentFen of [0, -5, 1.5, "12.30", true]) {
      expect((await as(aliceCookie).put("/settings/alerts", { largePaymentFen })).json.error).toBe("invalid_field");
    }
  });
});

describe("device names", () => {
  const tablet = `${"1a".repeat(32)}${"2b".repeat(32)}`;
  const phone = `${"3c".repeat(32)}${"4d".repeat(32)}`;

  it("names the account's devices by passkey, keeps the first day added through a rename, and forgets one", async () => {
    const added = await as(aliceCookie).put(`/devices/${tablet.toUpperCase()}`, {
      name: "王阿姨的平板",
      platform: "huawei",
      addedAt: 1_700_000_000_000,
    });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({
      passkey: tablet,
      name: "王阿姨的平板",
      platform: "huawei",
      addedAt: 1_700_000_000_000,
    });
    const renamed = await as(aliceCookie).put(`/devices/${tablet}`, { name: "客厅的平板", addedAt: 1_700_100_000_000 });
    expect(renamed.json).toMatchObject({ name: "客厅的平板", platform: "huawei", addedAt: 1_700_000_000_000 });
    await as(aliceCookie).put(`/devices/${phone}`, { name: "王阿姨的手机", platform: null, addedAt: null });
    const list = (await as(aliceCookie).get("/devices")).json.devices as { passkey: string; name: string }[];
    expect(list.map((d) => [d.passkey, d.name])).toEqual(
      expect.arrayContaining([
        [tablet, "客厅的平板"],
        [phone, "王阿姨的手机"],
      ]),
    );
    expect((await as(aliceCookie).del(`/devices/${phone}`)).status).toBe(200);
    expect((await as(aliceCookie).del(`/devices/${phone}`)).status).toBe(404);
    expect((await as(aliceCookie).get("/devices")).json.devices).toHaveLength(1);
  });

  it("test_RevertWhen_DeviceNameInvalid", async () => {
    const bad = [
      [`/devices/${tablet.slice(2)}`, { name: "x" }, "invalid_field"],
      [`/devices/${tablet}`, { name: "" }, "missing_field"],
      [`/devices/${tablet}`, { name: "长".repeat(25) }, "field_too_long"],
      [`/devices/${tablet}`, { name: "王阿姨的\u202E平板" }, "invisible_characters"],
      [`/devices/${tablet}`, { name: "x", platform: "nokia" }, "invalid_field"],
      [`/devices/${tablet}`, { name: "x", addedAt: Date.now() + 7 * 86_400_000 }, "invalid_field"],
      [`/devices/${tablet}`, { name: "x", owner: bob.address }, "unknown_field"],
    ] as const;
    for (const [path, body, error] of bad) {
      const res = await as(aliceCookie).put(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error, JSON.stringify(body)).toBe(error);
    }
  });

  it("test_RevertWhen_ReadingAnotherAccountsDeviceNames", async () => {
    await as(aliceCookie).put(`/devices/${tablet}`, { name: "王阿姨的平板" });
    expect((await as(bobCookie).get("/devices")).json.devices).toEqual([]);
    expect((await as(bobCookie).del(`/devices/${tablet}`)).status).toBe(404);
    expect((await call(service.app, "GET", "/devices")).status).toBe(401);
  });
});

describe("bad requests", () => {
  it("test_RevertWhen_MalformedJson", async () => {
    const res = await call(service.app, "POST", "/contacts", { cookie: aliceCookie, rawBody: '{"name": "x",' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("malformed_json");
    const array = await call(service.app, "POST", "/contacts", { cookie: aliceCookie, rawBody: "[1,2]" });
    expect(array.json.error).toBe("expected_object");
    const text = await call(service.app, "POST", "/contacts", {
      cookie: aliceCookie,
      rawBody: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
  });

  it("test_RevertWhen_BodyOverSizeLimit", async () => {
    const res = await call(service.app, "PUT", "/profile", {
      cookie: aliceCookie,
      rawBody: JSON.stringify({ displayName: "x".repeat(17 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.json.error).toBe("body_too_large");
  });

  it("test_RevertWhen_NotSignedIn", async () => {
    const res = await call(service.app, "GET", "/contacts");
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("not_signed_in");
  });

  it("test_RevertWhen_StateChangeFromForeignOrigin", async () => {
    for (const origin of [null, "https://evil.example"]) {
      const res = await call(service.app, "POST", "/contacts", {
        cookie: aliceCookie,
        origin,
        body: { name: "x", address: friend },
      });
      expect(res.status).toBe(403);
      expect(res.json.error).toBe("forbidden_origin");
    }
  });

  it("answers CORS preflights for the dApp's origins only, with credentials", async () => {
    const preflight = (origin: string) =>
      service.app.fetch(
        new Request("http://127.0.0.1:8787/contacts", {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        }),
      );
    const ok = await preflight("http://localhost:5173");
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    const evil = await preflight("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("one owner, one set of data", () => {
  it("test_RevertWhen_ReadingAnotherAddressData", async () => {
    await as(aliceCookie).post("/contacts", { name: "秘密", address: friend });
    await as(aliceCookie).put(`/notes/${orderRef}`, { note: "alice only" });
    expect((await as(bobCookie).get("/contacts")).json.contacts).toEqual([]);
    expect((await as(bobCookie).get(`/notes/${orderRef}`)).status).toBe(404);
    expect((await as(bobCookie).get("/profile")).json).toMatchObject({ displayName: null, phone: null });
    // No route takes an owner from the request: naming Alice gets nothing.
    expect((await as(bobCookie).get(`/contacts?owner=${alice.address}`)).json.contacts).toEqual([]);
  });

  it("test_RevertWhen_WritingAnotherAddressData", async () => {
    const smuggled = await as(bobCookie).post("/contacts", { name: "x", address: friend, owner: alice.address });
    expect(smuggled.status).toBe(400);
    expect(smuggled.json.error).toBe("unknown_field");
    // Bob's writes with the same keys land in Bob's own data only.
    expect((await as(bobCookie).put(`/notes/${orderRef}`, { note: "bob's" })).status).toBe(200);
    expect((await as(bobCookie).del(`/contacts/${friend}`)).status).toBe(404);
    expect((await as(aliceCookie).get(`/notes/${orderRef}`)).json.note).toBe("alice only");
    expect((await as(aliceCookie).get("/contacts")).json.contacts).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: friend })]),
    );
  });
});
