// Texts of the address component and address checks.
import { defineMessages } from "../defineMessages";

export const addressMessages = defineMessages({
  zh: {
    fullAddress: "完整账户号：{address}",
    copyAddress: "复制账户号",
    merchantTag: "商户",
    contactTag: "联系人",
    meTag: "我自己",
    unknownAccount: "陌生账户",
    checkingName: "正在查询是谁",
    showAddress: "查看账户号",
    addressInvalid: "这个账户号不完整或有误，请对照对方的收款码再看一遍。",
    addressChecksum: "这个账户号对不上，可能抄错了一个字符（注意大小写）。",
    addressZero: "这个账户号是空的，钱转过去谁也拿不到。",
    addressSelf: "不能转给自己。",
    addressToken: "这是城市币系统自己的账户号，不是哪个人的，转过去的钱会丢失。",
    oneCharOff: "已停止付款：这个账户号和{who}的只差一个字符（第 {position} 位）。很可能抄错了，或者是骗子仿冒的账户。",
    edgesAlike: "小心！这个账户号和{who}的开头结尾一样，但不是同一个账户。骗子常用这种“相似账户号”。",
    whoContact: "你的联系人 {name} ",
    whoShop: "商户“{name}”",
    whoPaid: "你付过款的账户",
    payKnownInstead: "改为付给{who}",
  },
  en: {
    fullAddress: "Full account number: {address}",
    copyAddress: "Copy account number",
    merchantTag: "Merchant",
    contactTag: "Contact",
    meTag: "Me",
    unknownAccount: "Unknown account",
    checkingName: "checking who this is",
    showAddress: "Show account number",
    addressInvalid: "This account number is incomplete or wrong; compare it with their payment code once more.",
    addressChecksum: "This account number does not add up: a character may be mistyped (capitals count).",
    addressZero: "This account number is empty: money sent there reaches nobody.",
    addressSelf: "You cannot send to yourself.",
    addressToken: "That is the City Yuan system's own account, not a person's; money sent there is lost.",
    oneCharOff:
      "Payment stopped: this account number differs from {who}'s in one character only (character {position}). It is most likely mistyped, or a scammer's copy.",
    edgesAlike:
      "Careful! This account number starts and ends like {who}'s but is a different account. Scammers use such look-alike account numbers.",
    whoContact: "your contact {name}",
    whoShop: "the shop “{name}”",
    whoPaid: "an account you have paid before",
    payKnownInstead: "Pay {who} instead",
  },
});
