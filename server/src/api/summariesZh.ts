// The merchant API's operation summaries in Chinese, keyed by the English summary the route
// declares. /openapi.json carries each as `x-summary-zh` (an OpenAPI extension field), and the
// reference page shows it when the page is in Chinese. Keyed by the English words on purpose: a
// route whose English summary changes, or a new route, has no Chinese until it is written here,
// and test/server/merchantApi.test.ts fails until then.
export const SUMMARIES_ZH: Readonly<Record<string, string>> = {
  "Create an API key for the signed-in shop (the key is shown once)": "为已登录的店铺创建 API 密钥（密钥只显示一次）",
  "The signed-in shop's API keys (never their secrets)": "已登录店铺的 API 密钥（从不显示密钥本身）",
  "Revoke an API key: refused from the next request on": "吊销 API 密钥：从下一次请求起即被拒绝",
  "Create a payment request: pay link, EIP-681 URI and QR": "创建收款单：付款链接、EIP-681 URI 和二维码",
  "A payment request and its status: open, paid (confirmed on chain), expired or refunded":
    "一张收款单及其状态：待付款、已付款（链上已确认）、已过期或已退款",
  "Payments to the shop on a Hefei day (UTC+8), confirmed on chain": "店铺在合肥某一天（UTC+8）收到、链上已确认的付款",
  "The daily statement (对账单) as CSV: payments and refunds of a Hefei day, and the net":
    "当日对账单（CSV）：合肥某一天的付款、退款和净额",
  "Prepare a refund of a paid request: a transaction the shop's own key signs (the city holds no keys)":
    "准备一笔已付款收款单的退款：由店铺自己的密钥签名的交易（城市不持有任何私钥）",
  "Register an https URL for signed events (the whsec_ secret is shown once)":
    "登记接收签名事件的 https 地址（whsec_ 密钥只显示一次）",
  "The shop's webhook endpoints (never their secrets)": "店铺的 Webhook 地址（从不显示密钥）",
  "A new secret; the old one keeps signing beside it for 24 hours": "换一个新密钥；旧密钥在 24 小时内同时签名",
  "Remove an endpoint: nothing more is sent to it": "删除一个地址：之后不再向它发送任何事件",
  "Every delivery attempt to this endpoint, newest first (at most 200)":
    "向这个地址的每一次投递尝试，最新的在前（最多 200 条）",
  "The shop's returning customers, busy hours, average ticket and voucher campaign uplift":
    "店铺的回头客、繁忙时段、客单价和消费券活动带来的增长",
  "Register a webhook endpoint for the signed-in shop (the whsec_ secret is shown once)":
    "为已登录的店铺登记 Webhook 地址（whsec_ 密钥只显示一次）",
  "The signed-in shop's webhook endpoints (never their secrets)": "已登录店铺的 Webhook 地址（从不显示密钥）",
  "A new secret for the signed-in shop's endpoint; the old one keeps signing beside it for 24 hours":
    "为已登录店铺的地址换一个新密钥；旧密钥在 24 小时内同时签名",
  "Remove the signed-in shop's endpoint: nothing more is sent to it": "删除已登录店铺的地址：之后不再向它发送任何事件",
  "Every delivery attempt to the signed-in shop's endpoint, newest first (at most 200)":
    "向已登录店铺地址的每一次投递尝试，最新的在前（最多 200 条）",
  "Send a finished delivery (delivered, or failed after its retries) again now, under the same webhook-id; answers the new attempt":
    "立即重发一次已结束的投递（已送达，或重试后仍失败），webhook-id 不变；返回这次新的尝试",
  "A payment request was paid (confirmed on chain)": "一张收款单已付款（链上已确认）",
  "A refund of a request's payment is confirmed on chain": "一张收款单的退款已在链上确认",
  "A payment request expired unpaid": "一张收款单到期未付",
  "The latest signed audit checkpoint of this deployment (public, read-only)":
    "本部署最近一次由审计方签名的检查点（公开，只读）",
};

/** The groups' names (OpenAPI tags) in Chinese. */
export const TAGS_ZH: Readonly<Record<string, string>> = {
  Keys: "接口凭证",
  "Payment requests": "收款单",
  Receipts: "收款记录",
  Refunds: "退款",
  Webhooks: "事件推送（Webhook）",
  Insights: "经营分析",
  Audit: "审计",
};

export const INFO_ZH = {
  title: "合肥数字钱包——商户接口",
  description:
    "为在城市登记的店铺提供收款单、收款记录、每日对账单和退款。金额以“分”为单位（1 元 = 100 分），用十进制字符串表示。",
} as const;

type Operation = { summary?: unknown; tags?: unknown; "x-summary-zh"?: string };

/**
 * The document with its Chinese beside the English: `x-summary-zh` on every operation whose summary
 * is written here, `x-title-zh` and `x-description-zh` on `info`, and the tags it uses with
 * `x-name-zh`.
 */
export function withChineseSummaries<
  D extends { info?: object; paths?: object; webhooks?: object; tags?: { name: string }[] },
>(doc: D): D {
  const used = new Set<string>();
  for (const group of [doc.paths, doc.webhooks]) {
    for (const item of Object.values(group ?? {}) as Record<string, unknown>[]) {
      for (const op of Object.values(item) as Operation[]) {
        if (typeof op !== "object" || op === null || typeof op.summary !== "string") continue;
        const zh = SUMMARIES_ZH[op.summary];
        if (zh !== undefined) op["x-summary-zh"] = zh;
        if (Array.isArray(op.tags)) for (const tag of op.tags) used.add(String(tag));
      }
    }
  }
  if (doc.info) Object.assign(doc.info, { "x-title-zh": INFO_ZH.title, "x-description-zh": INFO_ZH.description });
  const named = doc.tags ?? [];
  for (const tag of used) if (!named.some((t) => t.name === tag)) named.push({ name: tag });
  doc.tags = named.map((t) => (TAGS_ZH[t.name] === undefined ? t : { ...t, "x-name-zh": TAGS_ZH[t.name] }));
  return doc;
}
