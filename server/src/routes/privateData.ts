// Private data routes: profile, contacts, order notes and alert settings. The owner is always
// c.get("session").address; no route reads an owner from the path, query or body.
import type { Hono } from "hono";
import {
  DEVICE_PLATFORMS,
  type DevicePlatform,
  MAX_DEVICE_NAME_CHARS,
  MAX_NAME_CHARS,
  MAX_NOTE_CHARS,
  MAX_THRESHOLD_FEN,
} from "../../../core/api.js";
import { clientAddress } from "../auth/clients.js";
import { RateLimiter } from "../auth/rateLimit.js";
import { ApiError, badField } from "../errors.js";
import { type AppDeps, type AppEnv, readJson, requireSession } from "../http.js";
import {
  deleteContact,
  deleteDeviceName,
  deleteNote,
  getLargePaymentFen,
  getNote,
  getProfile,
  listContacts,
  listDeviceNames,
  listNotes,
  putContact,
  putDeviceName,
  putLargePaymentFen,
  putNote,
  putProfile,
} from "../privateData.js";
import { address, bytes32, chineseMobile, fen, onlyFields, text } from "../validate.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A passkey's public key as the key of its name: x then y, 128 hex digits, stored lower-case. */
function passkeyParam(raw: string): string {
  if (!/^[0-9a-fA-F]{128}$/.test(raw)) throw badField("passkey", "must be 128 hex digits (x then y)");
  return raw.toLowerCase();
}

export function privateDataRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const signedIn = requireSession(deps);
  // What one account, and one client address whichever accounts it signs in with, may write per
  // day: the per-account caps (contacts, notes) bound what is stored, these bound the churn.
  const accountWrites = new RateLimiter(deps.db, "writes.accountDay", deps.config.dailyWritesPerAccount, DAY_MS);
  const clientWrites = new RateLimiter(deps.db, "writes.clientDay", deps.config.dailyWritesPerClient, DAY_MS);
  const accountBurst = new RateLimiter(deps.db, "writes.accountMinute", deps.config.writesPerAccountPerMinute, 60_000);
  const quota = deps.config.storageBytesPerAccount;
  const counted = new WeakSet<Request>();
  for (const path of [
    "/profile",
    "/contacts",
    "/contacts/*",
    "/notes",
    "/notes/*",
    "/settings/*",
    "/devices",
    "/devices/*",
  ]) {
    app.use(path, signedIn);
    app.use(path, async (c, next) => {
      // "/contacts/*" also matches "/contacts": a request is counted once, however many paths match.
      if (c.req.method !== "GET" && c.req.method !== "HEAD" && !counted.has(c.req.raw)) {
        counted.add(c.req.raw);
        const at = now();
        const burst = await accountBurst.take(c.get("session").address, at);
        if (burst > 0) {
          c.header("Retry-After", String(Math.ceil(burst / 1000)));
          throw new ApiError(429, "writing_too_fast", "Too many changes in a minute; wait a moment and try again");
        }
        const wait = Math.max(
          await accountWrites.take(c.get("session").address, at),
          await clientWrites.take(clientAddress(c, deps.config.trustedProxyHops), at),
        );
        if (wait > 0) {
          c.header("Retry-After", String(Math.ceil(wait / 1000)));
          throw new ApiError(429, "daily_write_limit", "Too many changes today; try again tomorrow");
        }
      }
      await next();
    });
  }

  app.get("/profile", async (c) => c.json(await getProfile(deps.db, c.get("session").address)));

  app.put("/profile", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["displayName", "phone"]);
    const displayName = text(body, "displayName", {
      min: 1,
      max: MAX_NAME_CHARS,
      required: false,
      shownToOthers: true,
    });
    const rawPhone = text(body, "phone", { min: 1, max: 20, required: false });
    const phone = typeof rawPhone === "string" ? chineseMobile(rawPhone) : rawPhone;
    return c.json(await putProfile(deps.db, c.get("session").address, { displayName, phone }, now()));
  });

  app.get("/contacts", async (c) => c.json({ contacts: await listContacts(deps.db, c.get("session").address) }));

  app.post("/contacts", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["name", "address"]);
    const name = text(body, "name", { min: 1, max: MAX_NAME_CHARS, required: true, shownToOthers: true });
    const contactAddress = address(body.address, "address");
    const { contact, created } = await putContact(
      deps.db,
      c.get("session").address,
      { address: contactAddress, name },
      now(),
      quota,
    );
    return c.json(contact, created ? 201 : 200);
  });

  app.put("/contacts/:address", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["name"]);
    const name = text(body, "name", { min: 1, max: MAX_NAME_CHARS, required: true, shownToOthers: true });
    const contactAddress = address(c.req.param("address"), "address");
    const { contact, created } = await putContact(
      deps.db,
      c.get("session").address,
      { address: contactAddress, name },
      now(),
      quota,
    );
    return c.json(contact, created ? 201 : 200);
  });

  app.delete("/contacts/:address", async (c) => {
    const contactAddress = address(c.req.param("address"), "address");
    if (!(await deleteContact(deps.db, c.get("session").address, contactAddress))) {
      throw new ApiError(404, "not_found", "No such contact");
    }
    return c.json({ deleted: true });
  });

  app.get("/notes", async (c) => c.json({ notes: await listNotes(deps.db, c.get("session").address) }));

  app.get("/notes/:orderRef", async (c) => {
    const orderRef = bytes32(c.req.param("orderRef"), "orderRef");
    const note = await getNote(deps.db, c.get("session").address, orderRef);
    if (note === undefined) throw new ApiError(404, "not_found", "No note for this order");
    return c.json(note);
  });

  app.put("/notes/:orderRef", async (c) => {
    const orderRef = bytes32(c.req.param("orderRef"), "orderRef");
    const body = await readJson(c);
    onlyFields(body, ["note"]);
    const note = text(body, "note", { min: 1, max: MAX_NOTE_CHARS, required: true, multiline: true });
    return c.json(await putNote(deps.db, c.get("session").address, orderRef, note, now(), quota));
  });

  app.delete("/notes/:orderRef", async (c) => {
    const orderRef = bytes32(c.req.param("orderRef"), "orderRef");
    if (!(await deleteNote(deps.db, c.get("session").address, orderRef))) {
      throw new ApiError(404, "not_found", "No note for this order");
    }
    return c.json({ deleted: true });
  });

  app.get("/settings/alerts", async (c) => {
    const threshold = await getLargePaymentFen(deps.db, c.get("session").address);
    return c.json({ largePaymentFen: threshold.toString() });
  });

  app.put("/settings/alerts", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["largePaymentFen"]);
    const threshold = fen(body, "largePaymentFen", 1n, MAX_THRESHOLD_FEN);
    await putLargePaymentFen(deps.db, c.get("session").address, threshold, now());
    return c.json({ largePaymentFen: threshold.toString() });
  });

  app.get("/devices", async (c) => c.json({ devices: await listDeviceNames(deps.db, c.get("session").address) }));

  app.put("/devices/:passkey", async (c) => {
    const passkey = passkeyParam(c.req.param("passkey"));
    const body = await readJson(c);
    onlyFields(body, ["name", "platform", "addedAt"]);
    const name = text(body, "name", { min: 1, max: MAX_DEVICE_NAME_CHARS, required: true, shownToOthers: true });
    const platform = body.platform ?? null;
    if (platform !== null && !(DEVICE_PLATFORMS as readonly unknown[]).includes(platform))
      throw badField("platform", `must be one of ${DEVICE_PLATFORMS.join(", ")}`);
    const addedAt = body.addedAt ?? null;
    if (
      addedAt !== null &&
      !(typeof addedAt === "number" && Number.isSafeInteger(addedAt) && addedAt > 0 && addedAt <= now() + DAY_MS)
    )
      throw badField("addedAt", "must be a time in milliseconds, not in the future");
    return c.json(
      await putDeviceName(
        deps.db,
        c.get("session").address,
        { passkey, name, platform: platform as DevicePlatform | null, addedAt: addedAt as number | null },
        now(),
      ),
    );
  });

  app.delete("/devices/:passkey", async (c) => {
    const passkey = passkeyParam(c.req.param("passkey"));
    if (!(await deleteDeviceName(deps.db, c.get("session").address, passkey))) {
      throw new ApiError(404, "not_found", "No name for this device");
    }
    return c.json({ deleted: true });
  });
}
