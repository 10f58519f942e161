// Counter mode: the shop's phone or tablet at the till keeps receiving and announcing payments
// after the wallet locks (it only watches the shop's address, which is public), while everything
// that sends money (refunds, funding a promotion) waits for the wallet to be unlocked. The shop's
// address is kept on this device only.
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

/**
 * Browsers refuse to speak or play sound until the page got a tap (autoplay rules); Chromium
 * tells us through navigator.userActivation. Where the browser cannot tell, assume it is allowed.
 */
export function soundAllowed(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  return activation ? activation.hasBeenActive : true;
}
