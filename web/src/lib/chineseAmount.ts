// An amount in fen written in 大写 (the capital numerals of Chinese cheques and receipts), as the
// payment confirmation shows it in 关怀模式: 1500 fen → 壹拾伍元整, 1205 → 壹拾贰元零伍分.
const DIGITS = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
const SMALL_UNITS = ["", "拾", "佰", "仟"];
const BIG_UNITS = ["", "万", "亿", "兆"];

/** A whole number of yuan in 大写, without the 元. */
function integerPart(yuan: bigint): string {
  if (yuan === 0n) return "零";
  const groups: number[] = [];
  for (let n = yuan; n > 0n; n /= 10_000n) groups.push(Number(n % 10_000n));
  let out = "";
  let zeroPending = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g] ?? 0;
    if (group === 0) {
      zeroPending = out !== "";
      continue;
    }
    // A gap inside or before a group (e.g. 1,0005) is read as one 零.
    if (out !== "" && (zeroPending || group < 1000)) out += "零";
    zeroPending = false;
    let groupText = "";
    let zero = false;
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(group / 10 ** i) % 10;
      if (d === 0) {
        zero = groupText !== "";
        continue;
      }
      if (zero) groupText += "零";
      zero = false;
      groupText += (DIGITS[d] ?? "") + (SMALL_UNITS[i] ?? "");
    }
    out += groupText + (BIG_UNITS[g] ?? "");
  }
  return out;
}

export function fenToChineseCapital(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = abs / 100n;
  const jiao = Number((abs / 10n) % 10n);
  const fenDigit = Number(abs % 10n);
  let text = yuan > 0n || (jiao === 0 && fenDigit === 0) ? `${integerPart(yuan)}元` : "";
  if (jiao === 0 && fenDigit === 0) text += "整";
  else {
    if (jiao > 0) text += `${DIGITS[jiao]}角`;
    else if (yuan > 0n) text += "零";
    if (fenDigit > 0) text += `${DIGITS[fenDigit]}分`;
    else text += "整";
  }
  return (negative ? "负" : "") + text;
}
