// Texts for payment links (EIP-681) that cannot be used, see core/eip681.ts.
import { defineMessages } from "../defineMessages";

export const linkMessages = defineMessages({
  zh: {
    linkEmpty: "请粘贴付款链接或扫描收款码。",
    linkNotEthereum: "这不是付款链接。请扫描对方的收款码，或粘贴对方发来的付款链接。",
    linkMalformed: "这个付款链接不完整或有误，用不了。请让对方重新给你收款码。",
    linkPlainEth: "这个链接要的是以太币（ETH），本钱包只能付合肥城市币。",
    linkUnsupportedFunction: "这个链接要做的不是转账，本钱包不支持。",
    linkWrongChain: "这个付款链接属于另一个网络（编号 {chainId}），不是合肥城市币所在的网络，没有付款。",
    linkOtherToken: "这不是合肥城市币的付款请求，这里付不了。",
    linkBadAddress: "付款链接里的收款账户号不对，请让对方重新给你。",
    linkBadAmount: "付款链接里的金额无效。",
  },
  en: {
    linkEmpty: "Paste a payment link or scan a payment code.",
    linkNotEthereum: "This is not a payment link. Scan their payment code, or paste the payment link they sent you.",
    linkMalformed:
      "This payment link is incomplete or wrong and cannot be used. Ask them for their payment code again.",
    linkPlainEth: "This asks for a payment in ether (ETH); this wallet pays only in Hefei City Yuan.",
    linkUnsupportedFunction: "This link asks for something other than a transfer, which this wallet does not do.",
    linkWrongChain:
      "This payment link is for another network (number {chainId}), not the Hefei City Yuan network. Nothing was paid.",
    linkOtherToken: "This is not a Hefei City Yuan payment request; it cannot be paid here.",
    linkBadAddress: "The receiving account in this link is not right; ask them for it again.",
    linkBadAmount: "The amount in this link is invalid.",
  },
});
