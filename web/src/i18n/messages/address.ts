// Texts of the address component and address checks.
import { defineMessages } from "../defineMessages";

export const addressMessages = defineMessages({
  zh: {
    fullAddress: "完整地址：{address}",
    copyAddress: "复制地址",
    merchantTag: "商户",
    contactTag: "联系人",
    meTag: "我自己",
    unknownAccount: "陌生账户",
    checkingName: "正在查询是谁",
    showAddress: "查看地址",
    addressInvalid: "这不是有效的地址（应为 0x 开头的 40 位十六进制）。",
    addressChecksum: "地址大小写校验不通过，可能抄错了一个字符。",
    addressZero: "不能转给零地址。",
    addressSelf: "不能转给自己。",
    addressToken: "这是城市币合约本身的地址，转过去的钱会丢失。",
    oneCharOff:
      "已停止付款：这个地址和{who}的地址只差一个字符（第 {position} 位）。很可能抄错了，或者是骗子仿冒的地址。",
    edgesAlike: "小心！这个地址和{who}的地址开头结尾一样，但不是同一个地址。骗子常用这种“相似地址”。",
    whoContact: "你的联系人 {name} ",
    whoShop: "商户“{name}”",
    whoPaid: "你付过款的账户",
    payKnownInstead: "改为付给{who}",
  },
  en: {
    fullAddress: "Full address: {address}",
    copyAddress: "Copy address",
    merchantTag: "Merchant",
    contactTag: "Contact",
    meTag: "Me",
    unknownAccount: "Unknown account",
    checkingName: "checking who this is",
    showAddress: "Show address",
    addressInvalid: "Not a valid address (0x followed by 40 hex characters).",
    addressChecksum: "The address's capitalisation checksum fails: a character may be mistyped.",
    addressZero: "Cannot send to the zero address.",
    addressSelf: "You cannot send to yourself.",
    addressToken: "That is the City Yuan contract itself; money sent there is lost.",
    oneCharOff:
      "Payment stopped: this address differs from {who}'s in one character only (character {position}). It is most likely mistyped, or a scammer's copy.",
    edgesAlike:
      "Careful! This address starts and ends like {who}'s but is a different address. Scammers use such look-alike addresses.",
    whoContact: "your contact {name}",
    whoShop: "the shop “{name}”",
    whoPaid: "an account you have paid before",
    payKnownInstead: "Pay {who} instead",
  },
});
