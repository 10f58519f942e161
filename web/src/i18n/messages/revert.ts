// Plain-words reasons for the contracts' custom errors, keyed by error name exactly as in the ABI.
// The RedPacket and Vouchers pages add their contracts' errors here.
import { defineMessages } from "../defineMessages";

export const revertMessages = defineMessages({
  zh: {
    CityYuanAccountFrozen: "这个账户已被依法冻结",
    CityYuanZeroAmount: "金额不能为 0",
    CityYuanMissingReference: "缺少订单号",
    CityYuanRefundExceedsPayment: "退款超过了可退金额",
    CityYuanIssuerAllowanceExceeded: "超出了发行额度",
    CityYuanZeroValueTransferFrom: "不允许代他人转出 0 元",
    CityYuanReservesExceeded: "发行后总量将超过最近一次公布的储备金，需先更新储备证明",
    CityYuanIssuerAllowanceBelowZero: "减少的额度超过了剩余发行额度（发行方可能刚刚发行过，请刷新后重试）",
    CityYuanNotIssuer: "这个账户没有发行方角色，不能给它发行额度",
    CityYuanEscrowNotFreezable: "这是城市托管合约，不能冻结（冻结会停下所有居民的红包或消费券）",
    CityYuanNotCityEscrow: "只有登记过的城市托管合约才能记录这笔付款",
    VouchersNoExcess: "托管合约里没有多出的城市币可以转出",
    EnforcedPause: "城市已暂停所有付款",
    ERC20InsufficientBalance: "余额不足",
    ERC20InsufficientAllowance: "授权额度不足",
    ERC20InvalidReceiver: "收款地址无效",
    ERC20InvalidSender: "付款地址无效",
    AccessControlUnauthorizedAccount: "这个账户没有执行此操作的权限",
    MerchantRegistryNotRegistered: "这不是登记过的商户",
  },
  en: {
    CityYuanAccountFrozen: "this account is frozen",
    CityYuanZeroAmount: "the amount cannot be zero",
    CityYuanMissingReference: "the order number is missing",
    CityYuanRefundExceedsPayment: "the refund is more than what is left to refund",
    CityYuanIssuerAllowanceExceeded: "over the issuing allowance",
    CityYuanZeroValueTransferFrom: "moving 0 yuan out of someone else's account is not allowed",
    CityYuanReservesExceeded:
      "the supply would exceed the latest attested reserves; a new reserve attestation is needed first",
    CityYuanIssuerAllowanceBelowZero:
      "the cut is more than the issuer has left (it may have just issued; refresh and try again)",
    CityYuanNotIssuer: "this account does not hold the issuer role, so it cannot get an issuing allowance",
    CityYuanEscrowNotFreezable:
      "this is a city escrow and cannot be frozen (that would stop every resident's red packets or vouchers)",
    CityYuanNotCityEscrow: "only a registered city escrow can record this payment",
    VouchersNoExcess: "the escrow holds no HCY beyond what it owes",
    EnforcedPause: "payments are paused by the city",
    ERC20InsufficientBalance: "not enough money",
    ERC20InsufficientAllowance: "the approved amount is too small",
    ERC20InvalidReceiver: "the receiving address is invalid",
    ERC20InvalidSender: "the sending address is invalid",
    AccessControlUnauthorizedAccount: "this account is not allowed to do this",
    MerchantRegistryNotRegistered: "this is not a registered merchant",
  },
});
