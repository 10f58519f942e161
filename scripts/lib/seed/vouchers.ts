// Vouchers: the city's dining and grocery voucher (满100减20), paid from the voucher office's
// budget, and the noodle shop's own 10% off. Two residents claim the city voucher; Li Ming uses
// his at the noodle shop for a 128 yuan dinner.
import { categoryIndex, DISCOUNT_KIND } from "../../../core/enums.js";
import { MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "../demo-accounts.js";
import type { Bank } from "./bank.js";
import { DAY, type World } from "./world.js";

const NO_LIST = `0x${"0".repeat(64)}` as const;

export async function voucherCampaigns(world: World, bank: Bank): Promise<string> {
  const { cityYuan, vouchers } = world;
  const office = ROLE_HOLDERS.registrar.index; // the city's voucher office
  const noodle = MERCHANTS[0];
  const start = world.clock + 60;
  const end = Math.floor(Date.now() / 1000) + 30 * DAY;

  // The office's budget reaches it as any money does: a top-up request the desk issues.
  const cityBudget = 500n * 2_000n;
  await bank.topUps([{ index: office, fen: cityBudget }], "voucher-budget", 60);
  await world.tick(30);
  await world.mined(cityYuan.write.approve([vouchers.address, cityBudget], world.signer(office)), "approve");
  await world.tick(30);
  await world.mined(
    vouchers.write.createCampaign(
      [
        {
          kind: DISCOUNT_KIND.fixed,
          discount: 2_000n,
          cap: 0n,
          minSpend: 10_000n,
          startsAt: start,
          endsAt: end,
          totalVouchers: 500,
          perResidentLimit: 2,
          categoryMask: (1 << categoryIndex("dining")) | (1 << categoryIndex("grocery")),
          merchants: [],
          eligibleRoot: NO_LIST,
          listSalt: NO_LIST,
          residentsOnly: false,
        },
      ],
      world.signer(office),
    ),
    "createCampaign",
  );
  const cityCampaign = (await vouchers.read.nextCampaignId()) - 1n;

  const shopBudget = 100n * 500n;
  await world.tick(60);
  await world.mined(cityYuan.write.approve([vouchers.address, shopBudget], world.signer(noodle.index)), "approve");
  await world.tick(30);
  await world.mined(
    vouchers.write.createCampaign(
      [
        {
          kind: DISCOUNT_KIND.percentage,
          discount: 1_000n,
          cap: 500n,
          minSpend: 2_000n,
          startsAt: start,
          endsAt: end,
          totalVouchers: 100,
          perResidentLimit: 1,
          categoryMask: 0,
          merchants: [world.address(noodle.index)],
          eligibleRoot: NO_LIST,
          listSalt: NO_LIST,
          residentsOnly: false,
        },
      ],
      world.signer(noodle.index),
    ),
    "createCampaign",
  );

  await world.tick(120);
  for (const i of [1, 2]) {
    await world.tick(60);
    await world.mined(vouchers.write.claim([cityCampaign, []], world.signer(RESIDENTS[i].index)), "claim");
  }
  const price = 12_800n;
  await world.tick(3600);
  await world.mined(
    cityYuan.write.approve([vouchers.address, price - 2_000n], world.signer(RESIDENTS[1].index)),
    "approve",
  );
  await world.tick(30);
  await world.mined(
    vouchers.write.redeem(
      [cityCampaign, world.address(noodle.index), price, world.nextOrder()],
      world.signer(RESIDENTS[1].index),
    ),
    "redeem",
  );
  return "2 voucher campaigns (2 claims, 1 redemption)";
}
