// Texts for amounts typed by the resident (see core/money.ts parseYuan).
import { defineMessages } from "../defineMessages";

export const moneyMessages = defineMessages({
  zh: {
    amountEmpty: "请输入金额。",
    amountNotNumber: "金额只能是数字，例如 12.50。",
    amountNegative: "金额不能是负数。",
    amountZero: "金额必须大于 0。",
    amountTooManyDecimals: "金额最多两位小数（到分）。",
    amountTooLarge: "金额太大了，请检查。",
    amountOverBalance: "余额不足：你只有 {balance}。",
    yuanUnit: "元",
  },
  en: {
    amountEmpty: "Enter an amount.",
    amountNotNumber: "The amount must be a number, e.g. 12.50.",
    amountNegative: "The amount cannot be negative.",
    amountZero: "The amount must be more than 0.",
    amountTooManyDecimals: "At most 2 decimals (fen).",
    amountTooLarge: "That amount is too large; please check it.",
    amountOverBalance: "Not enough money: you have {balance}.",
    yuanUnit: "yuan",
  },
});
