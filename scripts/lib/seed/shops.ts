// Day 0 at the registrar: every demo shop registered with its name and category.
import { categoryIndex } from "../../../core/enums.js";
import { MERCHANTS, ROLE_HOLDERS } from "../demo-accounts.js";
import type { World } from "./world.js";

export async function registerShops(world: World): Promise<void> {
  for (const merchant of MERCHANTS) {
    await world.tick(60);
    await world.mined(
      world.merchantRegistry.write.register(
        [world.address(merchant.index), merchant.name, categoryIndex(merchant.category)],
        world.signer(ROLE_HOLDERS.registrar.index),
      ),
      "register",
    );
  }
}
