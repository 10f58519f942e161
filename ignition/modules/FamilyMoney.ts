// 亲属卡 (FamilyCards) and 转账延时到账 (DelayedTransfers), deployed after the city ledger
// (HefeiCity.ts) and before the residents' accounts (CityAccounts.ts), whose paymaster sponsors calls
// to both and so takes their addresses. Both are registered as city
// escrows: FamilyCards records each card payment as the funder's refundable CityYuan payment (its
// payments revert until this is done), and DelayedTransfers holds pending transfers, which
// compliance must not freeze all at once. Neither has an admin or a parameter of its own.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import HefeiCity from "./HefeiCity.js";

export default buildModule("FamilyMoney", (m) => {
  const city = m.useModule(HefeiCity);

  const familyCards = m.contract("FamilyCards", [city.cityYuan, city.merchantRegistry], { after: [HefeiCity] });
  const delayedTransfers = m.contract("DelayedTransfers", [city.cityYuan, city.merchantRegistry], {
    after: [HefeiCity],
  });
  m.call(city.cityYuan, "setCityEscrow", [familyCards, true], { id: "registerFamilyCardsEscrow" });
  m.call(city.cityYuan, "setCityEscrow", [delayedTransfers, true], { id: "registerDelayedTransfersEscrow" });

  return { ...city, familyCards, delayedTransfers };
});
