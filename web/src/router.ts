// A tiny hash router: `#/pay?request=…` -> { path: "/pay", query }. Hash routes keep the dApp a
// set of static files any host (or `vite preview`) can serve without rewrite rules.
import { useSyncExternalStore } from "react";

export type Location = { path: string; query: URLSearchParams };

function readHash(): string {
  return typeof window === "undefined" ? "" : window.location.hash;
}

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, "") || "/";
  const q = raw.indexOf("?");
  const path = (q < 0 ? raw : raw.slice(0, q)) || "/";
  return { path: path.startsWith("/") ? path : `/${path}`, query: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

/** The current hash, as a string snapshot (stable between renders). */
export function useHash(): string {
  return useSyncExternalStore(subscribe, readHash, () => "");
}

export function navigate(to: string): void {
  window.location.hash = to.startsWith("#") ? to : `#${to}`;
}

/**
 * Matches a route pattern: "/pay" exactly, "/redpackets/claim/:id" with named segments, and a
 * trailing "/*" that takes the rest (for link payloads). Returns the params or null.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split("/").filter(Boolean);
  const pathParts = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const part = patternParts[i] as string;
    if (part === "*") {
      params["*"] = pathParts.slice(i).map(decodeURIComponent).join("/");
      return params;
    }
    const value = pathParts[i];
    if (value === undefined) return null;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return pathParts.length === patternParts.length ? params : null;
}
