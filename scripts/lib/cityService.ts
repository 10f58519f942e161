// The city service as a script talks to it: signed in with Sign-In with Ethereum exactly as the
// dApp is (core/signIn.ts, the same nonce and verify routes), then JSON calls with the session
// cookie. One client is one device: every account signed in through it shares its device cookie,
// as the accounts of one browser do. Used by the demo seed and the browser tests.

import type { LocalAccount } from "viem/accounts";
import type { ServiceErrorCode } from "../../core/api.js";
import { buildSignInMessage } from "../../core/signIn.js";

export class CityServiceCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: ServiceErrorCode,
  ) {
    super(message);
    this.name = "CityServiceCallError";
  }
}

export interface CityServiceSession {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export interface CityServiceClient {
  signIn(account: LocalAccount, chainId: number): Promise<CityServiceSession>;
}

/** `webUrl` is the dApp the service accepts sign-ins and changes from (its SIWE domain and origin). */
export function cityServiceClient(serviceUrl: string, webUrl: string): CityServiceClient {
  const { host, origin } = new URL(webUrl);
  let device: string | undefined;

  /** One request; remembers the device id the service hands out and returns the session id it starts, if any. */
  const request = async <T>(
    path: string,
    init: { method?: string; body?: unknown; session?: string },
  ): Promise<{ body: T; session?: string }> => {
    const cookies = [device && `hcy_device=${device}`, init.session && `hcy_session=${init.session}`].filter(Boolean);
    const response = await fetch(`${serviceUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        origin,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...(cookies.length > 0 ? { cookie: cookies.join("; ") } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    let session: string | undefined;
    for (const cookie of response.headers.getSetCookie()) {
      device = /^hcy_device=([^;]+)/.exec(cookie)?.[1] ?? device;
      session = /^hcy_session=([^;]+)/.exec(cookie)?.[1] ?? session;
    }
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const { error, message } = (body ?? {}) as { error?: ServiceErrorCode; message?: string };
      throw new CityServiceCallError(
        `${init.method ?? "GET"} ${path}: ${message ?? error ?? `HTTP ${response.status}`}`,
        response.status,
        error,
      );
    }
    return { body: body as T, session };
  };

  return {
    async signIn(account, chainId) {
      const { nonce } = (await request<{ nonce: string }>("/auth/nonce", {})).body;
      const message = buildSignInMessage({ address: account.address, chainId, nonce, domain: host, uri: origin });
      const signature = await account.signMessage({ message });
      const { session } = await request("/auth/verify", { method: "POST", body: { message, signature } });
      if (session === undefined) throw new Error("the city service started no session");
      return {
        get: async <T>(path: string) => (await request<T>(path, { session })).body,
        post: async <T>(path: string, body: unknown) =>
          (await request<T>(path, { method: "POST", body, session })).body,
      };
    },
  };
}
