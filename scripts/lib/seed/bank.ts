// Money into and out of the demo city the way it comes in real life: through requests in the city
// service. A resident (or the voucher office) signs in with Sign-In with Ethereum and asks for a
// top-up; the simulated bank confirms the deposit; the attester publishes the reserves that now
// include it; the issuing desk, signed in as a clerk, takes the confirmed request from its queue,
// checks the chain has no issue under the request's reference yet, and issues exactly the
// requested amount to the requester under that reference. A cash-out is requested first and then
// burned under the request's reference. So the service's bank reconciliation finds every seeded
// issue and burn matched to a request, and the demo starts with no problem on any page.
import type { BankProblem, CashOut, Page, TopUp } from "../../../core/api.js";
import { CONSENT_VERSION } from "../../../core/identity.js";
import { demoCustomer } from "../../../server/src/bank/simulatedCustomers.js";
import type { CityServiceClient, CityServiceSession } from "../cityService.js";
import { localAccount, RESIDENTS, ROLE_HOLDERS } from "../demo-accounts.js";
import type { World } from "./world.js";

/** The last four digits of the bank card each demo person tops up from and cashes out to. */
const cardOf = (index: number): string => String(6200 + index).slice(-4);

export type Bank = Awaited<ReturnType<typeof openBank>>;

export async function openBank(world: World, service: CityServiceClient) {
  const chainId = await world.publicClient.getChainId();
  const sessions = new Map<number, CityServiceSession>();
  const sessionOf = async (index: number): Promise<CityServiceSession> => {
    let session = sessions.get(index);
    if (session === undefined) {
      session = await service.signIn(localAccount(index), chainId);
      sessions.set(index, session);
    }
    return session;
  };
  const desk = await sessionOf(ROLE_HOLDERS.issuer.index);
  const topUpsIssued: TopUp[] = [];
  const cashOuts: { index: number; request: CashOut }[] = [];

  /** The desk clerk's path for one request: wait for the bank's confirmation, check the chain, issue. */
  async function issue(requested: TopUp): Promise<void> {
    const topUp = await poll(`the bank to confirm the deposit of top-up ${requested.id}`, async () => {
      const queue = await desk.get<Page<"topUps", TopUp>>(
        `/desk/topups?state=deposit_confirmed&owner=${requested.owner}&limit=100`,
      );
      return queue.topUps.find((t) => t.id === requested.id);
    });
    const earlier = await world.cityYuan.getEvents.Issued(
      { bankRef: topUp.bankRef },
      { fromBlock: BigInt(world.deployment.deployBlock) },
    );
    if (earlier.length > 0) throw new Error(`top-up ${topUp.id} is already issued on chain`);
    await world.mined(
      world.cityYuan.write.issue(
        [topUp.owner, BigInt(topUp.amountFen), topUp.bankRef],
        world.signer(ROLE_HOLDERS.issuer.index),
      ),
      "issue",
    );
    topUpsIssued.push(topUp);
  }

  return {
    /**
     * Every demo resident verifies her name with her bank card (实名) as the dApp does it: the
     * four elements the simulated bank holds for her, with the consent. Then resident red packets
     * and vouchers give her a ticket, and her limits are a bank-verified person's. The voucher
     * office's account is verified by the clerk who holds it: the service takes top-ups (its
     * budget) and cash-outs only from an account a verified person owns.
     */
    async verifyResidents(): Promise<void> {
      for (const person of [...RESIDENTS, ROLE_HOLDERS.registrar]) {
        const customer = demoCustomer(person.index);
        const card = customer?.cards[0];
        if (customer === undefined || card === undefined) throw new Error(`the simulated bank has no ${person.name}`);
        await (await sessionOf(person.index)).post("/identity/card", {
          name: customer.name,
          idNumber: customer.idNumber,
          cardNumber: card.number,
          phone: customer.phone,
          consentVersion: CONSENT_VERSION,
        });
      }
    },

    /**
     * One batch of top-ups: every request made, the deposits attested as reserves, then the desk
     * issues them one by one, `gap` seconds apart on the demo clock.
     */
    async topUps(batch: readonly { index: number; fen: bigint }[], label: string, gap: number): Promise<void> {
      const requests: TopUp[] = [];
      for (const { index, fen } of batch) {
        requests.push(
          await (await sessionOf(index)).post<TopUp>("/topups", {
            amountFen: fen.toString(),
            cardLast4: cardOf(index),
          }),
        );
      }
      await world.attestBefore(
        batch.reduce((sum, { fen }) => sum + fen, 0n),
        label,
      );
      for (const request of requests) {
        await world.tick(gap);
        await issue(request);
      }
    },

    /** A cash-out as the dApp makes it: the request first, then the burn under its reference. */
    async cashOut(index: number, fen: bigint): Promise<void> {
      const request = await (await sessionOf(index)).post<CashOut>("/cashouts", {
        amountFen: fen.toString(),
        cardLast4: cardOf(index),
      });
      await world.mined(world.cityYuan.write.redeem([fen, request.bankRef], world.signer(index)), "redeem");
      cashOuts.push({ index, request });
    },

    /**
     * Waits until the service has matched every seeded issue and burn to its request (and the
     * simulated bank has paid the cash-outs), then checks that its reconciliation found nothing.
     */
    async reconciled(): Promise<string> {
      await poll("the city service to record every seeded top-up as issued", async () => {
        const issued = await desk.get<Page<"topUps", TopUp>>("/desk/topups?state=issued&limit=1");
        return issued.total >= topUpsIssued.length ? true : undefined;
      });
      for (const { index, request } of cashOuts) {
        await poll(`the simulated bank to pay cash-out ${request.id}`, async () => {
          const mine = await (await sessionOf(index)).get<{ cashOuts: CashOut[] }>("/cashouts");
          return mine.cashOuts.some((c) => c.id === request.id && c.state === "paid") ? true : undefined;
        });
      }
      const problems = await desk.get<Page<"problems", BankProblem>>("/desk/problems?limit=100");
      if (problems.total > 0) {
        throw new Error(
          `the city service found ${problems.total} reconciliation problem(s) in the demo seed: ${problems.problems
            .map((p) => p.kind)
            .join(", ")}`,
        );
      }
      return `${topUpsIssued.length} top-ups and ${cashOuts.length} cash-out through the city service, 0 reconciliation problems`;
    },
  };
}

/** Asks until `check` answers (the service works in the background), for at most 60 s. */
async function poll<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
