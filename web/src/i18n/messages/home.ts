// Texts of the home page.
import { defineMessages } from "../defineMessages";

export const homeMessages = defineMessages({
  zh: {
    title: "首页",
    balance: "余额",
    balanceLoading: "正在读取余额…",
    balanceError: "暂时读不到余额。",
    actions: "常用功能",
    pay: "付款",
    receive: "收款",
    transfer: "转账",
    redPacket: "红包",
    vouchers: "消费券",
    recent: "最近收支",
    recentEmpty: "还没有收支记录。",
    recentError: "暂时读不到收支记录。",
    allHistory: "查看全部",
    frozen: "这个账户已被依法冻结，暂时不能收付款。如有疑问请联系城市银行。",
  },
  en: {
    title: "Home",
    balance: "Balance",
    balanceLoading: "Reading your balance…",
    balanceError: "Cannot read your balance right now.",
    actions: "Quick actions",
    pay: "Pay",
    receive: "Receive",
    transfer: "Transfer",
    redPacket: "Red packet",
    vouchers: "Vouchers",
    recent: "Latest movements",
    recentEmpty: "No movements yet.",
    recentError: "Cannot read your movements right now.",
    allHistory: "See all",
    frozen: "This account is frozen by law and cannot pay or receive for now. Please contact the city bank.",
  },
});
