// Locks the built-in wallet after a while without taps, keys or scrolling, so a phone left on a
// table does not stay open to pay.
import { useEffect, useState } from "react";
import { useConfig } from "wagmi";
import { getSession, subscribeSession } from "./session";
import { lockWallet } from "./walletActions";

export const IDLE_LOCK_MS = 5 * 60_000;
const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"] as const;

/** Returns true once the wallet locked itself (so the unlock screen can say why). */
export function useInactivityLock(idleMs: number = IDLE_LOCK_MS): boolean {
  const config = useConfig();
  const [lockedByIdle, setLockedByIdle] = useState(false);
  const [unlocked, setUnlocked] = useState(getSession() !== null);

  useEffect(() => subscribeSession((s) => setUnlocked(s !== null)), []);

  useEffect(() => {
    if (!unlocked) return;
    setLockedByIdle(false);
    let timer = setTimeout(fire, idleMs);
    function fire() {
      setLockedByIdle(true);
      void lockWallet(config);
    }
    const bump = () => {
      clearTimeout(timer);
      timer = setTimeout(fire, idleMs);
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, bump, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, bump, { capture: true });
    };
  }, [unlocked, idleMs, config]);

  return lockedByIdle;
}
