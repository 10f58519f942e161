// Seeds the local chain with a month in Hefei: shops registered, residents topped up through the
// city service's requests, everyday payments across categories, transfers between friends, a
// refund, a cash-out, red packets, vouchers and reserve attestations, spread over the last 30
// days. Deterministic: the same chain history on every start. Each part of the month is a
// scenario in seed/ over the typed contracts of seed/world.ts; the city service must be running
// (its bank reconciliation must find every seeded issue and burn matched to a request).
import type { Deployment } from "../../generated/contracts.js";
import type { CityServiceClient } from "./cityService.js";
import { MERCHANTS, RESIDENTS } from "./demo-accounts.js";
import { openBank } from "./seed/bank.js";
import { everydayMonth, noodleShopRefund } from "./seed/everyday.js";
import { escrowRescue, redPacketDays } from "./seed/redPackets.js";
import { registerShops } from "./seed/shops.js";
import { voucherCampaigns } from "./seed/vouchers.js";
import { createWorld } from "./seed/world.js";

/** What each resident tops up on day 0 and again on payday (fen). */
const TOP_UPS = [500_000n, 300_000n, 200_000n, 250_000n, 150_000n, 400_000n];
/** Deposits the bank holds at month end for top-ups the desk has not issued yet (10,000 yuan). */
const DEPOSITS_AWAITING_ISSUE = 1_000_000n;

export async function seedDemo(
  rpcUrl: string,
  deployment: Deployment,
  service: CityServiceClient,
  log: (line: string) => void,
): Promise<string> {
  const world = await createWorld(rpcUrl, deployment);
  const bank = await openBank(world, service);
  const everyone = RESIDENTS.map((resident, i) => ({ index: resident.index, fen: TOP_UPS[i] }));

  // Day 0: the registrar registers the shops; every resident verifies her name with her bank card
  // and tops up.
  await registerShops(world);
  await bank.verifyResidents();
  await bank.topUps(everyone, "opening", 300);
  // The month, with payday on day 15: everyone tops up again.
  const { payments, transfers } = await everydayMonth(world, async (day) => {
    if (day === 15) await bank.topUps(everyone, "payday", 120);
  });
  await noodleShopRefund(world);
  await world.tick(3600);
  await bank.cashOut(RESIDENTS[1].index, 20_000n);
  const redPackets = await redPacketDays(world);
  await escrowRescue(world);
  const vouchers = await voucherCampaigns(world, bank);

  // Month end: the attester publishes the bank's reserves: everything now in circulation plus the
  // deposits received for top-ups not yet issued (so the desk can still approve top-ups; Secure Mint
  // refuses any issue beyond this attestation).
  await world.attestBefore(DEPOSITS_AWAITING_ISSUE, "month-end");
  await world.toPresent();
  const reconciled = await bank.reconciled();

  const { sent, attestations } = world.counts();
  log(
    `${payments} payments, ${transfers} transfers, 1 refund, 1 cash-out, ${redPackets}, 1 escrow rescue, ${vouchers}, ${attestations} attestations`,
  );
  log(reconciled);
  return `${sent} transactions seeded across ${MERCHANTS.length} merchants and ${RESIDENTS.length} residents`;
}
