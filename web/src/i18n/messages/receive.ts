// Texts of the Receive page.
import { defineMessages } from "../defineMessages";

export const receiveMessages = defineMessages({
  zh: {
    title: "收款",
    intro: "让对方扫描二维码，或把链接发给对方。",
    myAddress: "我的收款账户号",
    amountOptional: "收款金额（元，可不填）",
    qrAlt: "收款二维码：向 {address} 付款{amount}",
    qrAmount: " {amount}",
    qrLoading: "正在生成二维码…",
    details: "详情（给其他钱包用）",
    paymentUri: "付款链接（钱包通用）",
    appLink: "网页链接（用合肥数字钱包打开）",
    copyUri: "复制付款链接",
    copyAppLink: "复制网页链接",
    share: "分享",
    shareTitle: "向我付款",
    shareText: "请用合肥数字钱包向我付款{amount}",
  },
  en: {
    title: "Receive",
    intro: "Let the payer scan the QR code, or send them the link.",
    myAddress: "My account number",
    amountOptional: "Amount in yuan (optional)",
    qrAlt: "Payment QR code: pay {address}{amount}",
    qrAmount: " {amount}",
    qrLoading: "Making the QR code…",
    details: "Details (for other wallets)",
    paymentUri: "Payment link (any wallet)",
    appLink: "Web link (opens Hefei City Wallet)",
    copyUri: "Copy payment link",
    copyAppLink: "Copy web link",
    share: "Share",
    shareTitle: "Pay me",
    shareText: "Please pay me{amount} with Hefei City Wallet",
  },
});
