// Words a resident should never meet in normal use (issues 14 and 20): technical terms and raw codes.
// The technical detail stays one tap away (详情, closed by default) and everywhere on the
// auditor's ledger, which is not checked. Each entry says why, so a new one is easy to judge.
export const FORBIDDEN: Record<"zh" | "en", { pattern: RegExp; why: string }[]> = {
  zh: [
    { pattern: /0x[0-9a-fA-F]/, why: "an address or hash: say who it is (我, a contact, a shop)" },
    { pattern: /签名/, why: "确认付款, not 签名" },
    { pattern: /交易编号|交易哈希/, why: "已付款, with the number under 详情" },
    { pattern: /账本/, why: "a resident's money is in the wallet, not on a ledger" },
    { pattern: /合约/, why: "a technical word" },
    { pattern: /地址/, why: "say who it is; where the number must show, 账户号" },
    { pattern: /上链|链上/, why: "say 公开 / 别人看不到, not where it is stored" },
    { pattern: /助记词/, why: "say 找回词 (the 12 words that bring the wallet back)" },
    { pattern: /区块/, why: "say the time" },
    { pattern: /哈希/, why: "a technical word" },
    { pattern: /授权/, why: "say what is taken (从余额扣 …) or 允许" },
    { pattern: /密钥|私钥/, why: "say 领取链接 / 钱包 / 指纹或面容" },
    { pattern: /CSV/i, why: "say 导出表格" },
    { pattern: /额度/, why: "say 上限 / 提醒金额" },
    { pattern: /ethereum:/i, why: "a raw payment URI" },
    { pattern: /\b[0-9a-fA-F]{16,}\b/, why: "hexadecimal" },
    { pattern: /\b[A-Z][A-Za-z0-9]+(Error|Exception)\b/, why: "a raw error name" },
  ],
  en: [
    { pattern: /0x[0-9a-fA-F]/, why: "an address or hash: say who it is (you, a contact, a shop)" },
    { pattern: /\bsignature\b|\bsigning\b(?! in)|\bsign (it|this|and)\b/i, why: "Confirm payment, not sign" },
    { pattern: /transaction (hash|id|number)|\btx hash\b/i, why: "Paid, with the number under Details" },
    { pattern: /\bledger\b/i, why: "a resident's money is in the wallet, not on a ledger" },
    { pattern: /\bcontract\b/i, why: "a technical word" },
    { pattern: /\ballowance\b/i, why: "a technical word" },
    { pattern: /\baddress(es)?\b/i, why: "say who it is; where the number must show, account number" },
    { pattern: /\bblockchain\b|\bon-?chain\b/i, why: "say public / kept private, not where it is stored" },
    { pattern: /\bmnemonic\b|\bseed phrase\b/i, why: "say recovery words" },
    { pattern: /\bblocks?\b/i, why: "say the time" },
    { pattern: /\bhash(es)?\b/i, why: "a technical word" },
    { pattern: /\bapprov(e|ed|es|al|ing)\b|\bauthori[sz](e|ed|es|ation|ing)\b/i, why: "say what is taken, or allow" },
    { pattern: /\bprivate key\b/i, why: "say the wallet / fingerprint or face" },
    { pattern: /\bCSV\b/i, why: "say export as a table" },
    { pattern: /ethereum:/i, why: "a raw payment URI" },
    { pattern: /\b[0-9a-fA-F]{16,}\b/, why: "hexadecimal" },
    { pattern: /\b[A-Z][A-Za-z0-9]+(Error|Exception)\b/, why: "a raw error name" },
  ],
};

/** The words of `text` that break the list, with why. */
export function forbiddenIn(text: string, lang: "zh" | "en"): string[] {
  const found: string[] = [];
  for (const { pattern, why } of FORBIDDEN[lang]) {
    const m = text.match(pattern);
    if (m) {
      const at = m.index ?? 0;
      found.push(`"${m[0]}" in "…${text.slice(Math.max(0, at - 20), at + 30)}…" (${why})`);
    }
  }
  return found;
}
