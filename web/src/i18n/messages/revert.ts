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
    EnforcedPause: "payments are paused by the city",
    ERC20InsufficientBalance: "not enough money",
    ERC20InsufficientAllowance: "the approved amount is too small",
    ERC20InvalidReceiver: "the receiving address is invalid",
    ERC20InvalidSender: "the sending address is invalid",
    AccessControlUnauthorizedAccount: "this account is not allowed to do this",
    MerchantRegistryNotRegistered: "this is not a registered merchant",
  },
});
