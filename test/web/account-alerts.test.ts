// Alerts in plain words (web/src/features/account/alertWords.ts) and the city service's refusals
// read into messages of the current language (web/src/service/serviceErrors.ts).
import { describe, expect, it } from "vitest";
import { alertWords } from "../../web/src/features/account/alertWords";
import { accountMessages, serviceErrorMessages } from "../../web/src/i18n/messages/account";
import { translate } from "../../web/src/i18n/useT";
import { CityServiceError } from "../../web/src/service/cityService";
import { describeServiceError } from "../../web/src/service/serviceErrors";

describe("alertWords", () => {
  it("says a large payment with the resident's own threshold in 元", () => {
    const w = alertWords({ kind: "large_payment", details: { thresholdFen: "100000" } });
    expect(translate(accountMessages, "zh", w.description, w.vars)).toContain("¥1,000.00");
    expect(translate(accountMessages, "en", w.title)).toBe("Large payment");
  });

  it("names the imitated contact for look-alike payments and poisoning", () => {
    for (const kind of ["payment_to_look_alike", "address_poisoning"] as const) {
      const w = alertWords({ kind, details: { contactName: "王阿姨", contactAddress: "0x…" } });
      expect(translate(accountMessages, "zh", w.description, w.vars)).toContain("王阿姨");
    }
  });

  it("says one character off, and a look-alike of someone paid before without inventing a name", () => {
    for (const kind of ["payment_to_look_alike", "address_poisoning"] as const) {
      const one = alertWords({ kind, details: { contactName: "李明", contactAddress: "0x…", similarity: "oneChar" } });
      expect(translate(accountMessages, "zh", one.description, one.vars)).toMatch(/「李明」只差一个字符/);
      const payee = alertWords({ kind, details: { contactAddress: "0x…", similarity: "oneChar" } });
      const text = translate(accountMessages, "en", payee.description, payee.vars);
      expect(text).toMatch(/you paid before/);
      expect(text).not.toContain("—");
    }
  });

  it("gives the burst's count and window in minutes", () => {
    const w = alertWords({ kind: "payment_burst", details: { count: 5, windowSeconds: 600 } });
    expect(translate(accountMessages, "en", w.description, w.vars)).toBe(
      "5 payments went out within 10 minutes. If it was not you, lock the wallet now.",
    );
  });

  it("falls back to a generic alert for a kind it does not know, and survives odd details", () => {
    expect(alertWords({ kind: "something_new", details: {} }).title).toBe("kind_other");
    const w = alertWords({ kind: "large_payment", details: { thresholdFen: 12 } });
    expect(w.vars.threshold).toBe("—");
  });
});

describe("describeServiceError", () => {
  const say = (error: unknown, lang: "zh" | "en") => {
    const d = describeServiceError(error);
    const vars = { ...d.vars, ...(d.field ? { field: translate(serviceErrorMessages, lang, d.field) } : {}) };
    return translate(serviceErrorMessages, lang, d.key, vars);
  };

  it("reads the service's phone refusal as a phone message in either language", () => {
    const e = new CityServiceError(
      "phone: must be a Chinese mobile number (+86 and 11 digits starting with 1)",
      400,
      "invalid_field",
    );
    expect(describeServiceError(e).key).toBe("phoneInvalid");
    expect(say(e, "zh")).toContain("手机号不对");
  });

  it("names the field of a missing or too-long value in the current language", () => {
    expect(say(new CityServiceError("name is required", 400, "missing_field"), "zh")).toBe("请填写名字。");
    expect(say(new CityServiceError("displayName must be at most 40 characters", 400, "field_too_long"), "en")).toBe(
      "The display name is too long: at most 40 characters.",
    );
  });

  it("turns a fen range into 元", () => {
    const e = new CityServiceError("amountFen: must be between 1 and 5000000 fen", 400, "invalid_field");
    expect(say(e, "en")).toBe("The amount must be between ¥0.01 and ¥50,000.00.");
  });

  it("knows sessions, limits and self-contacts, and shows anything else with the service's text", () => {
    expect(describeServiceError(new CityServiceError("x", 401, "not_signed_in")).key).toBe("notSignedIn");
    expect(describeServiceError(new CityServiceError("x", 409, "too_many_open_requests")).key).toBe(
      "tooManyOpenRequests",
    );
    expect(
      describeServiceError(new CityServiceError("address: you cannot add yourself as a contact", 400, "invalid_field"))
        .key,
    ).toBe("contactSelf");
    expect(say(new CityServiceError("The request body is not valid JSON", 400, "malformed_json"), "en")).toBe(
      "The city service refused the request: The request body is not valid JSON",
    );
  });

  it("says the service is unreachable when fetch itself fails", () => {
    expect(describeServiceError(new TypeError("Failed to fetch")).key).toBe("serviceUnreachable");
  });
});

describe("describeServiceError for real-name verification (实名)", () => {
  const say = (error: unknown, lang: "zh" | "en") => {
    const d = describeServiceError(error);
    return translate(serviceErrorMessages, lang, d.key, d.vars);
  };

  it("says which of the four elements the bank refused, in words", () => {
    expect(say(new CityServiceError("idNumber: check digit", 400, "id_number_check_digit"), "zh")).toBe(
      "身份证号最后一位不对，请对照身份证再填一次。",
    );
    expect(say(new CityServiceError("The card is not in this name", 422, "cardholder_name"), "zh")).toMatch(
      /^这张卡不是这个名字的/,
    );
    expect(say(new CityServiceError("x", 422, "cardholder_phone"), "en")).toBe(
      "This is not the phone number the bank holds for this card.",
    );
  });

  it("tells a wrong one-time code from a declined debit, and the day's limit left in 元", () => {
    expect(describeServiceError(new CityServiceError("The one-time code is wrong", 422, "bank_declined")).key).toBe(
      "codeWrong",
    );
    expect(
      describeServiceError(new CityServiceError("Too many wrong codes for this debit", 422, "bank_declined")).key,
    ).toBe("bankDeclined");
    const limit = new CityServiceError(
      "Over today's top-up limit for your verification level: 150000 fen left of 5000000",
      409,
      "daily_limit",
    );
    expect(say(limit, "zh")).toBe("超过今天的限额了，今天还可以 ¥1,500.00。");
  });

  it("tells a transfer top-up or cash-out refused as unverified (any level will do) from a card top-up (a card is needed)", () => {
    // The service's own wording for each (server/src/routes/bank.ts).
    const transfer = new CityServiceError(
      "Verify who you are first (实名认证, by your phone or a bank card): top-ups are limited per person each day",
      403,
      "not_verified",
    );
    const cashOut = new CityServiceError(
      "Verify who you are first (实名认证, by your phone or a bank card): cash-outs are limited per person each day",
      403,
      "not_verified",
    );
    const card = new CityServiceError(
      "Bind your bank card first (实名认证): a card top-up debits a card the bank confirmed is yours",
      403,
      "not_verified",
    );
    expect(say(transfer, "zh")).toBe("还没有实名认证：充值和提现前，请先验证手机号或绑定您本人的银行卡。");
    expect(say(cashOut, "en")).toBe(
      "Not verified yet: verify your phone or bind a bank card of your own before topping up or cashing out.",
    );
    expect(say(card, "zh")).toBe("还没有实名认证：请先绑定您本人的银行卡。");
  });
});
