// A resident's alerts (raised by the chain watcher) and marking them read.
import type { Hono } from "hono";
import { ApiError } from "../errors.js";
import { type AppDeps, type AppEnv, requireSession } from "../http.js";
import { checksummed, owned } from "../privateData.js";

type AlertRow = {
  id: string;
  kind: string;
  tx_hash: string;
  log_index: number;
  block_number: number;
  block_time: number;
  counterparty: string;
  amount: string;
  details: string;
  created_at: number;
  read_at: number | null;
};

export function alertRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  app.use("/alerts", requireSession(deps));
  app.use("/alerts/*", requireSession(deps));

  app.get("/alerts", async (c) => {
    const unreadOnly = c.req.query("unread") === "true";
    const rows = await deps.db.all<AlertRow>(
      `SELECT id, kind, tx_hash, log_index, block_number, block_time, counterparty, amount, details, created_at, read_at
       FROM alerts WHERE owner = ? ${unreadOnly ? "AND read_at IS NULL" : ""}
       ORDER BY block_number DESC, log_index DESC LIMIT 200`,
      [owned(c.get("session").address)],
    );
    return c.json({
      alerts: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        txHash: r.tx_hash,
        logIndex: r.log_index,
        blockNumber: r.block_number,
        blockTime: r.block_time,
        counterparty: checksummed(r.counterparty),
        amountFen: r.amount,
        details: JSON.parse(r.details) as unknown,
        createdAt: r.created_at,
        readAt: r.read_at,
      })),
    });
  });

  app.post("/alerts/:id/read", async (c) => {
    const id = c.req.param("id");
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ApiError(404, "not_found", "No such alert");
    const owner = owned(c.get("session").address);
    const { changes } = await deps.db.run(
      "UPDATE alerts SET read_at = ? WHERE id = ? AND owner = ? AND read_at IS NULL",
      [now(), id, owner],
    );
    if (changes === 0) {
      // Someone else's alert answers exactly like a missing one.
      const mine = await deps.db.get("SELECT 1 AS x FROM alerts WHERE id = ? AND owner = ?", [id, owner]);
      if (mine === undefined) throw new ApiError(404, "not_found", "No such alert");
    }
    return c.json({ read: true });
  });
}
