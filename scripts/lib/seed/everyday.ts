// Days 1..29: everyday life. Two to four payments a day at the shops (prices in fen, per
// category), a transfer between friends every third day, and on the way a hook for the days
// something else happens (payday). Drawn from a fixed PRNG: the same month on every start.
import { MERCHANTS, RESIDENTS } from "../demo-accounts.js";
import { DAY, prng, reference, type World } from "./world.js";

const PRICE_RANGE: Record<string, [number, number]> = {
  dining: [1200, 4500],
  grocery: [800, 6000],
  transport: [200, 400],
  medical: [1500, 12000],
  education: [2000, 9000],
};

export async function everydayMonth(
  world: World,
  onMorningOf: (day: number) => Promise<void>,
): Promise<{ payments: number; transfers: number }> {
  const random = prng(20261128);
  let payments = 0;
  let transfers = 0;
  const startDay = world.clock;
  for (let day = 1; day < 30; day++) {
    world.skipTo(startDay + day * DAY + 7 * 3600);
    await onMorningOf(day);
    const perDay = 2 + Math.floor(random() * 3);
    for (let n = 0; n < perDay; n++) {
      const resident = RESIDENTS[Math.floor(random() * RESIDENTS.length)];
      const merchant = MERCHANTS[Math.floor(random() * MERCHANTS.length)];
      const [low, high] = PRICE_RANGE[merchant.category];
      const price = BigInt(low + Math.floor(random() * (high - low)));
      await world.tick(1800 + Math.floor(random() * 7200));
      await world.mined(
        world.cityYuan.write.pay(
          [world.address(merchant.index), price, world.nextOrder()],
          world.signer(resident.index),
        ),
        "pay",
      );
      payments++;
    }
    if (day % 3 === 0) {
      const from = RESIDENTS[Math.floor(random() * RESIDENTS.length)];
      const to = RESIDENTS[(RESIDENTS.indexOf(from) + 1 + Math.floor(random() * 5)) % RESIDENTS.length];
      await world.tick(3600);
      await world.mined(
        world.cityYuan.write.transfer(
          [world.address(to.index), BigInt(1000 + Math.floor(random() * 20000))],
          world.signer(from.index),
        ),
        "transfer",
      );
      transfers++;
    }
  }
  return { payments, transfers };
}

/** A refund at the noodle shop, pointing at the original payment. */
export async function noodleShopRefund(world: World): Promise<void> {
  const noodle = MERCHANTS[0];
  const auntie = RESIDENTS[0];
  const refundOrder = reference("ORDER-REFUND-1");
  await world.tick(3600);
  await world.mined(
    world.cityYuan.write.pay([world.address(noodle.index), 2800n, refundOrder], world.signer(auntie.index)),
    "pay",
  );
  await world.tick(600);
  await world.mined(
    world.cityYuan.write.refund([world.address(auntie.index), refundOrder, 1400n], world.signer(noodle.index)),
    "refund",
  );
}
