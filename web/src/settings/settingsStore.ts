// The resident's display preferences (language, large-text mode), kept on this device and applied
// to <html> so CSS and screen readers follow them.
import type { Lang } from "@core/i18n";
import { DEFAULT_REASK_LIMIT_FEN } from "@core/reask";
import { useSyncExternalStore } from "react";
import { isObject, readStored, writeStored } from "../lib/localStore";

export type Settings = {
  lang: Lang;
  largeText: boolean;
  /** Above this many fen, a payment or transfer asks for the passkey or passcode again (core/reask.ts). */
  reaskLimitFen: string;
};

const STORAGE_KEY = "hcy.settings.v1";
const defaults: Settings = { lang: "zh", largeText: false, reaskLimitFen: DEFAULT_REASK_LIMIT_FEN.toString() };

function parseSettings(raw: unknown): Settings | undefined {
  if (!isObject(raw)) return undefined;
  return {
    lang: raw.lang === "en" ? "en" : "zh",
    largeText: raw.largeText === true,
    reaskLimitFen:
      typeof raw.reaskLimitFen === "string" && /^\d{1,12}$/.test(raw.reaskLimitFen)
        ? raw.reaskLimitFen
        : defaults.reaskLimitFen,
  };
}

let current: Settings =
  typeof localStorage === "undefined" ? defaults : readStored(STORAGE_KEY, parseSettings, defaults);
const listeners = new Set<() => void>();

function apply(settings: Settings): void {
  if (typeof document === "undefined") return;
  document.documentElement.lang = settings.lang === "zh" ? "zh-CN" : "en";
  document.documentElement.classList.toggle("large-text", settings.largeText);
}

apply(current);

export function getSettings(): Settings {
  return current;
}

export function updateSettings(patch: Partial<Settings>): void {
  current = { ...current, ...patch };
  writeStored(STORAGE_KEY, current);
  apply(current);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSettings(): Settings {
  return useSyncExternalStore(subscribe, getSettings, getSettings);
}
