// Counter mode: the shop's phone or tablet at the till keeps receiving and announcing payments
// after the wallet locks (it only watches the shop's address, which is public), while everything
// that sends money (refunds, funding a promotion) waits for the wallet to be unlocked. The shop's
// address is kept on this device only.
//
// Outside counter mode the page does the same for as long as this tab lives: once a registered
// shop's wallet opened the page, its address is "watched" (kept in this tab's sessionStorage, so a
// reload or a tab the phone discarded and restored keeps it), and the idle lock or a sign-out no
// longer stops the receipts. Only "停止接收" on the page ends it.
import { type Address, getAddress, isAddress } from "viem";

const COUNTER_KEY = "hcy.merchant.counter.v1";

export function loadCounterShop(): Address | undefined {
  const stored = localStorage.getItem(COUNTER_KEY);
  return stored && isAddress(stored) ? getAddress(stored) : undefined;
}

export function saveCounterShop(shop: Address | undefined): void {
  if (shop) localStorage.setItem(COUNTER_KEY, shop);
  else localStorage.removeItem(COUNTER_KEY);
}

const WATCHED_KEY = "hcy.merchant.watched.v1";

export function loadWatchedShop(): Address | undefined {
  try {
    const stored = sessionStorage.getItem(WATCHED_KEY);
    return stored && isAddress(stored) ? getAddress(stored) : undefined;
  } catch {
    return undefined;
  }
}

export function saveWatchedShop(shop: Address | undefined): void {
  try {
    if (shop) sessionStorage.setItem(WATCHED_KEY, getAddress(shop));
    else sessionStorage.removeItem(WATCHED_KEY);
  } catch {
    // No storage (private mode): the page still watches for as long as it stays open.
  }
}

/**
 * Browsers refuse to speak or play sound until the page got a tap (autoplay rules); Chromium
 * tells us through navigator.userActivation. Where the browser cannot tell, assume it is allowed.
 */
export function soundAllowed(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  return activation ? activation.hasBeenActive : true;
}
