// 实名认证 for a browser test's resident, as the dApp's page does it: the page (signed in to the city
// service) posts the four elements of a customer the simulated bank knows, with the consent, to
// POST /identity/card, from its own origin and with its own session cookie. The city pays fees only
// for an account a verified person owns (server/src/sponsorship/quotas.ts), so every test that pays
// from a passkey account verifies its resident first, after signing in.
//
// Quotas are per person: each person has 3 sponsored account creations (HCY_SPONSORED_ACCOUNTS_PER_PERSON)
// and 20 sponsored operations a Hefei day, shared by every browser test of one run (one system). So
// each test file verifies its residents as people of its own (a customer id below), and no person
// opens more than 3 passkey accounts in the run:
//   passkey.e2e      C0007 李明 (her account), C0008 张伟 (the neighbour who uses up her day)
//   accountOpened    C0011 赵磊 (3 residents), C0010 刘洋 (2 residents)
//   wangAyi          C0006 王秀芳 (王阿姨 herself)
//   passkey-receipt bench: its own system, C0006 王秀芳
import type { Page } from "playwright-core";
import { CONSENT_VERSION, type IdentityView } from "../../core/identity.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";

/**
 * Binds the card of the simulated bank's customer `customerId` to the account signed in on `page`
 * (which must show the dApp, signed in to the city service). The service is reached on the page's
 * own host, as the dApp reaches it (web/src/env.ts). Throws with the service's answer if refused.
 */
export async function verifyResident(page: Page, serviceUrl: string, customerId: string): Promise<IdentityView> {
  const customer = SIMULATED_CUSTOMERS.find((c) => c.id === customerId);
  const card = customer?.cards[0];
  if (customer === undefined || card === undefined) throw new Error(`the simulated bank has no customer ${customerId}`);
  const pageUrl = new URL(page.url());
  if (!/^https?:$/.test(pageUrl.protocol))
    throw new Error(`verifyResident: the page shows ${page.url()}, not the dApp`);
  const service = new URL(serviceUrl);
  service.hostname = pageUrl.hostname;
  const answer = await page.evaluate(
    async ({ url, body }) => {
      const response = await fetch(url, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    {
      url: `${service.origin}/identity/card`,
      body: JSON.stringify({
        name: customer.name,
        idNumber: customer.idNumber,
        cardNumber: card.number,
        phone: customer.phone,
        consentVersion: CONSENT_VERSION,
      }),
    },
  );
  if (answer.status !== 201) {
    throw new Error(`实名认证 of ${customer.name} refused: HTTP ${answer.status} ${answer.text}`);
  }
  return JSON.parse(answer.text) as IdentityView;
}
