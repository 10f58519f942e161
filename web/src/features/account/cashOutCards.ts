// The card a cash-out was asked for, remembered on this device by request id. The service's
// cash-out request carries only the amount (the bank pays the card on the resident's account), so
// the card digits serve the resident's own summary and list, and never leave the device.
import type { Address } from "viem";

const keyFor = (owner: Address) => `hcy.cashoutCards.v1.${owner.toLowerCase()}`;

function read(owner: Address): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyFor(owner)) ?? "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function cardForCashOut(owner: Address, requestId: string): string | undefined {
  const card = read(owner)[requestId];
  return typeof card === "string" && /^\d{4}$/.test(card) ? card : undefined;
}

export function rememberCashOutCard(owner: Address, requestId: string, cardLast4: string): void {
  localStorage.setItem(keyFor(owner), JSON.stringify({ ...read(owner), [requestId]: cardLast4 }));
}
