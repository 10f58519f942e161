// `refund.completed` webhooks of the merchant API (issue 25): a refund the API prepared, signed and
// sent by the shop's own key, is told to the shop's endpoint once it is the city's confirmations
// deep: one event per refund (a partial one, then the rest), signed per Standard Webhooks (checked
// with the third-party `standardwebhooks` library), never twice across a restart, and nothing for
// a refund of a payment no API request asked for. Runs on SQLite and on PostgreSQL.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { type Address, type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toOrderRef } from "../../core/orderRef.js";
import { chainShopLedger, type ShopLedger } from "../../server/src/api/ledger.js";
import { REFUND_CURSOR_ID, WebhookSender } from "../../server/src/api/webhooks.js";
import {
  account,
  call,
  DATABASES,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  send,
  signIn,
  startTestService,
  type TestService,
  walletFor,
} from "./helpers.js";
import { webhookChecker } from "./openApiCheck.js";

const SHOP = account(5);
const PAYER = account(7);

let node: HardhatNode;
let deployed: Deployed;
let registry: Address;

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  deployed = await deployCityYuan(node.url);
  const { abi, bytecode } = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/MerchantRegistry.sol/MerchantRegistry.json"), "utf8"),
  ) as { abi: readonly unknown[]; bytecode: Hex };
  const client = publicClientFor(node.url);
  const admin = walletFor(node.url, account(0));
  const hash = await admin.deployContract({ abi, bytecode, args: [account(0).address, 0] });
  registry = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
  const write = async (functionName: string, args: readonly unknown[]) =>
    client.waitForTransactionReceipt({
      hash: await admin.writeContract({ address: registry, abi, functionName, args }),
    });
  await write("grantRole", [keccak256(toHex("REGISTRAR_ROLE")), account(0).address]);
  await write("register", [SHOP.address, "包子铺", 0]);
  await send(node.url, deployed, account(1), "issue", [PAYER.address, 10_000_000n, keccak256(toHex("deposit-r"))]);
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

const mine = () => publicClientFor(node.url).request({ method: "evm_mine" as never, params: [] as never });

for (const database of DATABASES) {
  describe(`refund.completed webhooks (${database})`, () => {
    let service: TestService;
    let ledger: ShopLedger;
    let key: string;
    let server: Server;
    let port: number;
    const received: { headers: Record<string, string>; body: string }[] = [];

    const api = async (method: string, pathname: string, body?: unknown) =>
      call(service.app, method, pathname, {
        body,
        headers: { authorization: `Bearer ${key}` },
        origin: null,
        device: null,
      });

    beforeAll(async () => {
      ledger = chainShopLedger({
        client: publicClientFor(node.url),
        chainId: 31337,
        cityYuan: deployed.cityYuan,
        merchantRegistry: registry,
        deployBlock: deployed.deployBlock,
        blockRange: 50,
      });
      service = await startTestService({ database, config: { confirmations: 1 }, deps: { shopLedger: ledger } });
      const { cookie } = await signIn(service, SHOP);
      const made = await call(service.app, "POST", "/merchant/keys", {
        cookie,
        body: { label: "Till", scopes: ["receipts:read", "requests:write", "refunds:write"] },
      });
      key = made.json.key as string;
      server = createHttpServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => {
          body += chunk;
        });
        req.on("end", () => {
          received.push({ headers: req.headers as Record<string, string>, body });
          res.end();
        });
      });
      port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    }, 60_000);

    afterAll(async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      await service?.close();
    });

    it("test_RefundCompleted: each refund on chain is one signed event, partial then full, once across a restart", async () => {
      // Real time: the third-party verifier refuses a timestamp more than 5 minutes off its clock.
      service.clock.t = Date.now();
      const reg = await api("POST", "/api/v1/webhook-endpoints", { url: `http://127.0.0.1:${port}/hook` });
      expect(reg.status, JSON.stringify(reg.json)).toBe(201);
      expect(reg.json.events).toEqual(["payment.received", "refund.completed", "request.expired"]);
      const secret = reg.json.secret as string;
      const sender = () => new WebhookSender({ db: service.db, ledger, confirmations: 1, now: service.clock.now });
      const events = () =>
        received.map((x) => ({
          ...x,
          event: new Webhook(secret).verify(x.body, x.headers) as {
            type: string;
            data: {
              id: string;
              status: string;
              refundedFen: string;
              refund?: { amountFen: string; txHash: string; blockNumber: number };
            };
          },
        }));

      const ref = `${database}-R-1`;
      const request = await api("POST", "/api/v1/payment-requests", { amountYuan: "20.00", orderRef: ref });
      expect(request.status).toBe(201);
      await send(node.url, deployed, PAYER, "pay", [SHOP.address, 2000n, toOrderRef(ref)]);
      await mine();
      await sender().tick();
      expect(events().map((e) => [e.event.type, e.event.data.id])).toEqual([["payment.received", request.json.id]]);

      // A part refunded with the transaction the API prepared, signed by the shop's own key.
      const shopWallet = walletFor(node.url, SHOP);
      const refundPart = async (body: Record<string, string>) => {
        const prepared = await api("POST", "/api/v1/refunds", { requestId: request.json.id, ...body });
        expect(prepared.status, JSON.stringify(prepared.json)).toBe(200);
        const hash = await shopWallet.sendTransaction({
          to: prepared.json.to as Address,
          data: prepared.json.data as Hex,
        });
        return (await publicClientFor(node.url).waitForTransactionReceipt({ hash })).transactionHash;
      };
      const firstRefund = await refundPart({ amountYuan: "5.00" });
      // Mined but not yet one confirmation deep: not told yet.
      await sender().tick();
      expect(events().filter((e) => e.event.type === "refund.completed")).toEqual([]);
      await mine();
      await sender().tick();
      const first = events().filter((e) => e.event.type === "refund.completed");
      expect(first.length).toBe(1);
      expect(first[0]?.event.data).toMatchObject({
        id: request.json.id,
        status: "paid",
        refundedFen: "500",
        refund: { amountFen: "500", txHash: firstRefund },
      });

      // The rest: a second event, and the request is now refunded in full.
      const secondRefund = await refundPart({});
      await mine();
      const restarted = sender(); // a restart: a fresh sender on the same database
      await restarted.tick();
      const both = events().filter((e) => e.event.type === "refund.completed");
      expect(both.map((e) => [e.event.data.refund?.txHash, e.event.data.refundedFen, e.event.data.status])).toEqual([
        [firstRefund, "500", "paid"],
        [secondRefund, "2000", "refunded"],
      ]);
      expect(new Set(both.map((e) => e.headers["webhook-id"])).size).toBe(2);
      // A tampered amount fails the third-party verifier.
      const last = both[1] as { body: string; headers: Record<string, string> };
      expect(() => new Webhook(secret).verify(last.body.replace('"2000"', '"2001"'), last.headers)).toThrow();

      // The cursor has moved past them: nothing is told again, even after the cursor is lost.
      await sender().tick();
      await service.db.run("DELETE FROM chain_cursor WHERE id = ?", [REFUND_CURSOR_ID]);
      await sender().tick();
      expect(events().filter((e) => e.event.type === "refund.completed").length).toBe(2);

      // A refund of a payment made without an API request (the counter in the dApp): no event.
      const plainRef = `${database}-counter-1`;
      await send(node.url, deployed, PAYER, "pay", [SHOP.address, 300n, toOrderRef(plainRef)]);
      await send(node.url, deployed, SHOP, "refund", [PAYER.address, toOrderRef(plainRef), 300n]);
      await mine();
      await sender().tick();
      expect(events().filter((e) => e.event.type === "refund.completed").length).toBe(2);

      // Every message sent matches its schema under the document's webhooks, headers included.
      const doc = await call(service.app, "GET", "/openapi.json", { origin: null });
      const check = await webhookChecker(doc.json);
      expect(received.map((m) => check(m))).toEqual(["payment.received", "refund.completed", "refund.completed"]);

      // Every attempt is listed for the shop.
      const attempts = await api("GET", `/api/v1/webhook-endpoints/${reg.json.id}/attempts`);
      const refundAttempts = (attempts.json.attempts as { type: string; httpStatus: number }[]).filter(
        (a) => a.type === "refund.completed",
      );
      expect(refundAttempts.map((a) => a.httpStatus)).toEqual([200, 200]);
    }, 90_000);
  });
}
