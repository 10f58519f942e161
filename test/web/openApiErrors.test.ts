// The merchant API's refusals met on the shop owner's 开放接口 page (web/src/features/openapi):
// each code the key and webhook routes answer is said in words, zh and en, never the raw message.
import { describe, expect, it } from "vitest";
import { serviceErrorMessages } from "../../web/src/i18n/messages/account";
import { openApiMessages } from "../../web/src/i18n/messages/openApi";
import { translate } from "../../web/src/i18n/useT";
import { CityServiceError } from "../../web/src/service/cityService";
import { describeServiceError } from "../../web/src/service/serviceErrors";

describe("open API refusals", () => {
  const cases = [
    ["not_a_shop", 403, "notAShop", "不是登记的商户"],
    ["too_many_keys", 409, "tooManyKeys", "20 个接口凭证"],
    ["webhook_url_invalid", 400, "webhookUrlInvalid", "https"],
    ["too_many_webhooks", 409, "tooManyWebhooks", "10 个通知网址"],
    ["webhook_delivery_pending", 409, "webhookDeliveryPending", "重试"],
    ["no_deployment", 503, "noDeployment", "稍后"],
    ["not_found", 404, "notFound", "找不到"],
  ] as const;
  for (const [code, status, key, zhWords] of cases)
    it(`${code} is said in zh and en`, () => {
      const d = describeServiceError(new CityServiceError("url must be https", status, code));
      expect(d.key).toBe(key);
      expect(translate(serviceErrorMessages, "zh", d.key, d.vars)).toContain(zhWords);
      const en = translate(serviceErrorMessages, "en", d.key, d.vars);
      expect(en).not.toBe(d.key);
      expect(en).not.toContain("url must be https");
    });

  it("every text of the page exists in both languages", () => {
    expect(Object.keys(openApiMessages.en).sort()).toEqual(Object.keys(openApiMessages.zh).sort());
  });
});
