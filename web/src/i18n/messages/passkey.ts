// Texts of the passkey account: the default start, devices, and asking again when money leaves.
import { defineMessages } from "../defineMessages";

export const passkeyMessages = defineMessages({
  zh: {
    startWithPasskey: "用指纹或面容开始",
    continueWithPasskey: "用指纹或面容继续",
    whyPasskey:
      "推荐：钥匙锁在这台手机的安全芯片里，只有你的指纹或面容能用它付款，不用抄写助记词，也不怕密码被人猜出。",
    creating: "请按提示验证指纹或面容…",
    createFailed: "没有创建成功：{reason}",
    notConfirmed: "指纹或面容没有确认，什么也没有创建。可以再试一次。",
    noPasskeySupport: "这个浏览器不能使用指纹或面容，请换用手机自带的浏览器，或选择下面的其他方式。",
    advanced: "其他方式（高级）",
    advancedHint: "助记词钱包：需要自己抄写并保管 12 个单词，并设置密码。",
    joinAccount: "把这台设备加入我已有的账户",
    passkeyName: "合肥数字钱包",
    reaskTitle: "再次确认",
    reaskAmount: "这笔超过了你设的提醒金额 {limit}，请再验证一次指纹或面容。",
    reaskNewPerson: "这是第一次付款给这个人，请再验证一次指纹或面容。",
    reaskAmountPasscode: "这笔超过了你设的提醒金额 {limit}，请再输入一次密码。",
    reaskNewPersonPasscode: "这是第一次付款给这个人，请再输入一次密码。",
    reaskConfirm: "验证并付款",
    reaskCancelled: "没有确认，没有付款。",
    reaskWrongPasscode: "密码不对，没有付款。",
    passcode: "密码",
  },
  en: {
    startWithPasskey: "Use fingerprint or face",
    continueWithPasskey: "Continue with fingerprint or face",
    whyPasskey:
      "Recommended: the key is locked in this phone's secure chip and only your fingerprint or face can use it to pay; no words to write down, no passcode anyone can guess.",
    creating: "Confirm with your fingerprint or face…",
    createFailed: "Not created: {reason}",
    notConfirmed: "Your fingerprint or face was not confirmed, so nothing was created. You can try again.",
    noPasskeySupport:
      "This browser cannot use a fingerprint or face; use your phone's own browser, or one of the other ways below.",
    advanced: "Other ways (advanced)",
    advancedHint: "Recovery-phrase wallet: you write down and keep 12 words yourself and choose a passcode.",
    joinAccount: "Add this device to my existing account",
    passkeyName: "Hefei City Wallet",
    reaskTitle: "Confirm again",
    reaskAmount:
      "This is above the reminder amount you set ({limit}); confirm once more with your fingerprint or face.",
    reaskNewPerson: "This is your first payment to this person; confirm once more with your fingerprint or face.",
    reaskAmountPasscode: "This is above the reminder amount you set ({limit}); enter your passcode once more.",
    reaskNewPersonPasscode: "This is your first payment to this person; enter your passcode once more.",
    reaskConfirm: "Confirm and pay",
    reaskCancelled: "Not confirmed; nothing was paid.",
    reaskWrongPasscode: "Wrong passcode; nothing was paid.",
    passcode: "Passcode",
  },
});
