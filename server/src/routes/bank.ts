// Top-ups and cash-outs for residents, and the issuer's desk. The desk is whoever holds
// ISSUER_ROLE on chain; it issues from its own wallet, the service only tracks the requests.
import type { Hono } from "hono";
import { MAX_REQUEST_FEN } from "../../../core/api.js";
import { ApiError, badField } from "../errors.js";
import { type AppDeps, type AppEnv, readJson, requireSession } from "../http.js";
import { fen, onlyFields, text } from "../validate.js";

export function bankRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  for (const path of ["/topups", "/cashouts", "/desk/*"]) app.use(path, requireSession(deps));

  app.post("/topups", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["amountFen", "cardLast4"]);
    const amountFen = fen(body, "amountFen", 1n, MAX_REQUEST_FEN);
    return c.json(await deps.bank.requestTopUp(c.get("session").address, amountFen, cardOf(body), now()), 201);
  });

  app.get("/topups", async (c) => c.json({ topUps: await deps.bank.myTopUps(c.get("session").address) }));

  app.post("/cashouts", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["amountFen", "cardLast4"]);
    const amountFen = fen(body, "amountFen", 1n, MAX_REQUEST_FEN);
    return c.json(await deps.bank.requestCashOut(c.get("session").address, amountFen, cardOf(body), now()), 201);
  });

  app.get("/cashouts", async (c) => c.json({ cashOuts: await deps.bank.myCashOuts(c.get("session").address) }));

  app.use("/desk/*", async (c, next) => {
    let issuer: boolean;
    try {
      issuer = await deps.isIssuer(c.get("session").address);
    } catch {
      throw new ApiError(503, "chain_unavailable", "Cannot check the issuer role: the chain node is unreachable");
    }
    if (!issuer) throw new ApiError(403, "not_issuer", "Only an account holding ISSUER_ROLE may use the desk");
    await next();
  });

  app.get("/desk/topups", async (c) => c.json({ topUps: await deps.bank.pendingTopUps() }));

  app.post("/desk/topups/:id/reject", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["reason"]);
    const reason = text(body, "reason", { min: 1, max: 200, required: true });
    return c.json(await deps.bank.rejectTopUp(c.req.param("id"), reason, now()));
  });
}

/** The last 4 digits of the bank card a top-up is paid from or a cash-out paid to. */
function cardOf(body: Record<string, unknown>): string {
  const cardLast4 = text(body, "cardLast4", { min: 1, max: 4, required: true });
  if (!/^\d{4}$/.test(cardLast4)) throw badField("cardLast4", "must be the last 4 digits of the bank card");
  return cardLast4;
}
