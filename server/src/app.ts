// The city service's HTTP app (Hono), built from its dependencies so tests can call
// `app.fetch` on it without listening on a port.
import type { IncomingMessage } from "node:http";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { merchantApiRoutes } from "./api/routes.js";
import { findSession } from "./auth/sessions.js";
import { ApiError } from "./errors.js";
import { type AppDeps, type AppEnv, sessionIdOf } from "./http.js";
import { alertRoutes } from "./routes/alerts.js";
import { authRoutes } from "./routes/auth.js";
import { bankRoutes } from "./routes/bank.js";
import { identityRoutes } from "./routes/identity.js";
import { paymasterRoutes } from "./routes/paymaster.js";
import { privateDataRoutes } from "./routes/privateData.js";
import { recoveryDeskRoutes } from "./routes/recoveryDesk.js";
import { redPacketTicketRoutes } from "./routes/redPacketTickets.js";
import { DatabaseUnavailableError } from "./storage/Database.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function createApp(deps: AppDeps, log: (message: string) => void = () => {}): Hono<AppEnv> {
  const { allowedOrigins, bodyLimitBytes } = deps.config;
  const app = new Hono<AppEnv>();

  app.use(
    "*",
    cors({
      origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
      allowHeaders: ["Content-Type"],
      maxAge: 600,
    }),
  );

  // CSRF: a state-changing request must say it comes from the dApp. Browsers always send Origin
  // on cross-origin and on non-GET requests, and a page elsewhere cannot forge it.
  app.use("*", async (c, next) => {
    // The merchant API's key-holding callers (a shop's till or server) send no cookie: a browser
    // cannot attach their Authorization header cross-site (CORS allows no such header), so
    // there is nothing to forge.
    const keyed = c.req.path.startsWith("/api/v1/") && /^Bearer /i.test(c.req.header("authorization") ?? "");
    if (!SAFE_METHODS.has(c.req.method) && !keyed) {
      const origin = c.req.header("origin");
      if (origin === undefined || !allowedOrigins.includes(origin)) {
        throw new ApiError(403, "forbidden_origin", "State-changing requests must come from the city dApp");
      }
    }
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    await next();
  });

  // A connection accepted into the room kept for signed-in residents serves only them.
  app.use("*", async (c, next) => {
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    if (deps.connections?.isReserved(socket)) {
      const id = sessionIdOf(c, deps.config);
      const session = id === undefined ? undefined : await findSession(deps.db, id, (deps.now ?? Date.now)());
      if (session === undefined) {
        c.header("Connection", "close");
        c.header("Retry-After", "5");
        throw new ApiError(503, "service_busy", "The service is full; signed-in residents are served first");
      }
    }
    await next();
  });

  app.use(
    "*",
    bodyLimit({
      maxSize: bodyLimitBytes,
      onError: (c) =>
        c.json({ error: "body_too_large", message: `The request body may be at most ${bodyLimitBytes} bytes` }, 413),
    }),
  );

  app.get("/health", async (c) => {
    const watcher = deps.watcherStatus?.();
    let database = "ok";
    try {
      await deps.db.get("SELECT 1 AS one");
    } catch (error) {
      database = error instanceof DatabaseUnavailableError ? error.reason : "error";
    }
    return c.json({ ok: database === "ok", database, chainId: deps.config.chainId, watcher: watcher ?? null });
  });

  authRoutes(app, deps);
  privateDataRoutes(app, deps);
  alertRoutes(app, deps);
  bankRoutes(app, deps);
  identityRoutes(app, deps);
  recoveryDeskRoutes(app, deps);
  redPacketTicketRoutes(app, deps);
  paymasterRoutes(app, deps);
  merchantApiRoutes(app, deps);

  app.notFound((c) => c.json({ error: "not_found", message: "No such route" }, 404));

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json({ error: error.code, message: error.message }, error.status);
    if (error instanceof DatabaseUnavailableError) {
      c.header("Retry-After", "1");
      return c.json({ error: `database_${error.reason}`, message: error.message }, 503);
    }
    log(
      `http: ${c.req.method} ${c.req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return c.json({ error: "internal", message: "Something went wrong on our side" }, 500);
  });

  return app;
}
