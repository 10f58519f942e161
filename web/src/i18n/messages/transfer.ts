// Texts of the Transfer page.
import { defineMessages } from "../defineMessages";

export const transferMessages = defineMessages({
  zh: {
    title: "转账",
    toContact: "转给联系人",
    chooseContact: "选择联系人…",
    toAddress: "或输入收款地址",
    amount: "金额（元）",
    note: "备注（只保存在本机，不上链）",
    balanceNow: "当前余额：",
    next: "下一步",
    firstTimeWarning: "你从没向这个地址付过款。请再核对一遍完整地址。",
    acknowledge: "我已核对完整地址，确认要转给它",
    acknowledgeRequired: "请先勾选确认你已核对地址。",
    checking: "正在检查地址…",
    reviewTitle: "转账给 {name}",
    purpose: "转账",
    done: "转账成功",
  },
  en: {
    title: "Transfer",
    toContact: "To a contact",
    chooseContact: "Choose a contact…",
    toAddress: "Or enter the receiving address",
    amount: "Amount (yuan)",
    note: "Note (kept on this device only, never made public)",
    balanceNow: "Current balance:",
    next: "Next",
    firstTimeWarning: "You have never paid this address before. Please check the full address once more.",
    acknowledge: "I checked the full address and want to send to it",
    acknowledgeRequired: "Tick the box to confirm you checked the address.",
    checking: "Checking the address…",
    reviewTitle: "Transfer to {name}",
    purpose: "Transfer",
    done: "Transferred",
  },
});
