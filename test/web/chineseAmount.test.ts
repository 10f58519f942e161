// 大写 amounts as on a Chinese cheque.
import { describe, expect, it } from "vitest";
import { fenToChineseCapital } from "../../web/src/lib/chineseAmount";

describe("fenToChineseCapital", () => {
  it.each([
    [0n, "零元整"],
    [1n, "壹分"],
    [10n, "壹角整"],
    [1500n, "壹拾伍元整"],
    [1205n, "壹拾贰元零伍分"],
    [1250n, "壹拾贰元伍角整"],
    [100_00n, "壹佰元整"],
    [1_005_00n, "壹仟零伍元整"],
    [10_005_00n, "壹万零伍元整"],
    [100_000_00n, "壹拾万元整"],
    [1_234_567_89n, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"],
    [50_000_000_00n, "伍仟万元整"],
    [100_000_001_00n, "壹亿零壹元整"],
  ])("%s fen → %s", (fen, text) => {
    expect(fenToChineseCapital(fen)).toBe(text);
  });
});
