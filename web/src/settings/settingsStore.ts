// The resident's display preferences (language, large-text mode), kept on this device and applied
// to <html> so CSS and screen readers follow them.
import type { Lang } from "@core/i18n";
import { DEFAULT_REASK_LIMIT_FEN } from "@core/reask";
import { useSyncExternalStore } from "react";

export type Settings = {
  lang: Lang;
  largeText: boolean;
  /** Above this many fen, a payment or transfer asks for the passkey or passcode again (core/reask.ts). */
  reaskLimitFen: string;
};

const STORAGE_KEY = "hcy.settings.v1";
const defaults: Settings = { lang: "zh", largeText: false, reaskLimitFen: DEFAULT_REASK_LIMIT_FEN.toString() };

function read(): Settings {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Partial<Settings>;
    return {
      lang: parsed.lang === "en" ? "en" : "zh",
      largeText: parsed.largeText === true,
      reaskLimitFen:
        typeof parsed.reaskLimitFen === "string" && /^\d{1,12}$/.test(parsed.reaskLimitFen)
          ? parsed.reaskLimitFen
          : defaults.reaskLimitFen,
    };
  } catch {
    return defaults;
  }
}

let current: Settings = typeof localStorage === "undefined" ? defaults : read();
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
  localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
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
