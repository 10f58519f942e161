// The simulated bank's cardholder check (four elements: name, ID number, card number, phone) and
// its card debit with a one-time code; the GB 11643 ID number rules the dApp and service share.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idCheckCharacter, idNumberProblem, maskName, normalizeIdNumber } from "../../core/identity.js";
import { BankDeclinedError } from "../../server/src/bank/BankGateway.js";
import { DEBIT_CODE_TRIES, DEBIT_CODE_TTL_MS, SimulatedBank } from "../../server/src/bank/SimulatedBank.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";
import { Clock, startTestService, type TestService } from "./helpers.js";

const wang = { name: "王秀芳", idNumber: "340104195603120020", cardNumber: "6217000010036206", phone: "13855100006" };

let service: TestService;
let bank: SimulatedBank;
const clock = new Clock();
beforeAll(async () => {
  service = await startTestService();
  bank = new SimulatedBank(service.db, 0, SIMULATED_CUSTOMERS, clock.now);
});
afterAll(async () => service.close());

describe("GB 11643 resident ID numbers", () => {
  it("accepts the standard's own example and every customer of the simulated bank", () => {
    expect(idNumberProblem("11010519491231002X")).toBeUndefined();
    expect(idNumberProblem("11010519491231002x")).toBeUndefined();
    for (const c of SIMULATED_CUSTOMERS) expect(idNumberProblem(c.idNumber), c.name).toBeUndefined();
  });

  it("refuses a wrong check digit, naming it, for every wrong last character", () => {
    const first17 = wang.idNumber.slice(0, 17);
    const right = idCheckCharacter(first17);
    for (const last of "0123456789X") {
      expect(idNumberProblem(first17 + last)).toBe(last === right ? undefined : "checkDigit");
    }
  });

  it("refuses a bad format and an impossible birth date", () => {
    for (const bad of ["", "3401041956031200", "3401041956031200200", "34010419560312002Y", "abcdefghijklmnopqr"]) {
      expect(idNumberProblem(bad), bad).toBe("format");
    }
    // 1956-02-30 does not exist; the check digit is made right so only the date is wrong.
    const feb30 = "34010419560230002";
    expect(idNumberProblem(feb30 + idCheckCharacter(feb30))).toBe("birthDate");
    const future = "34010430000101002";
    expect(idNumberProblem(future + idCheckCharacter(future))).toBe("birthDate");
    expect(normalizeIdNumber(" 3401 0419 5603 1200 2x ")).toBe("34010419560312002X");
  });

  it("masks names the way the service keeps them", () => {
    expect(maskName("王秀芳")).toBe("王*芳");
    expect(maskName("李明")).toBe("李*");
    expect(maskName("欧阳娜娜")).toBe("欧**娜");
  });
});

describe("the simulated bank's cardholder check", () => {
  it("confirms the four elements and gives a token, never echoing the card number", async () => {
    const answer = await bank.verifyCardholder({ ...wang, cardNumber: "6217 0000 1003 6206" });
    expect(answer).toMatchObject({ ok: true, cardLast4: "6206", phoneLast4: "0006" });
    expect(JSON.stringify(answer)).not.toContain(wang.cardNumber);
  });

  it.each([
    ["name", { name: "王秀英" }, "The card is not in this name"],
    ["idNumber", { idNumber: "340104195808230020" }, "The ID number is not the cardholder's"],
    ["cardNumber", { cardNumber: "6217000010036214" }, "The bank has no such card"],
    ["phone", { phone: "13855100007" }, "The phone number is not the one the bank holds for this card"],
  ] as const)("refuses a mismatch in %s with its reason", async (element, change, reason) => {
    const answer = await bank.verifyCardholder({ ...wang, ...change });
    expect(answer).toEqual({ ok: false, mismatch: element, reason });
  });

  it("refuses another person's card with her own name and ID (same last 4 digits)", async () => {
    const answer = await bank.verifyCardholder({ ...wang, cardNumber: "6228480012345086206" });
    expect(answer).toMatchObject({ ok: false, mismatch: "name" });
  });
});

describe("the simulated bank's card debit", () => {
  const start = async () => {
    const bound = await bank.verifyCardholder(wang);
    if (!bound.ok) throw new Error("not bound");
    return bank.startCardDebit({ requestId: "r", bankRef: "0x01", cardToken: bound.cardToken, amountFen: 5000n });
  };

  it("shows the code, and confirms with it once (a repeat is the same confirmation)", async () => {
    const debit = await start();
    expect(debit.shownCode).toMatch(/^\d{6}$/);
    expect(debit.phoneLast4).toBe("0006");
    const confirmed = await bank.confirmCardDebit(debit.debitId, debit.shownCode as string);
    expect(confirmed.depositId).toBe(debit.debitId);
    expect(await bank.confirmCardDebit(debit.debitId, debit.shownCode as string)).toEqual(confirmed);
  });

  it("refuses a wrong code, then every code after the tries run out", async () => {
    const debit = await start();
    const wrong = debit.shownCode === "000000" ? "000001" : "000000";
    for (let i = 0; i < DEBIT_CODE_TRIES; i++) {
      await expect(bank.confirmCardDebit(debit.debitId, wrong)).rejects.toThrow("The one-time code is wrong");
    }
    await expect(bank.confirmCardDebit(debit.debitId, debit.shownCode as string)).rejects.toThrow(
      "Too many wrong codes for this debit",
    );
  });

  it("compares at most the allowed tries when a thousand guesses arrive at once", async () => {
    const debit = await start();
    const guesses = Array.from({ length: 1000 }, (_, i) => String(i).padStart(6, "0")).filter(
      (g) => g !== debit.shownCode,
    );
    const results = await Promise.allSettled(guesses.map((g) => bank.confirmCardDebit(debit.debitId, g)));
    const messages = results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "confirmed"));
    expect(messages.filter((m) => m === "The one-time code is wrong").length).toBe(DEBIT_CODE_TRIES);
    expect(messages.filter((m) => m === "confirmed").length).toBe(0);
  });

  it("refuses an expired code and an unknown card token", async () => {
    const debit = await start();
    clock.advance(DEBIT_CODE_TTL_MS);
    await expect(bank.confirmCardDebit(debit.debitId, debit.shownCode as string)).rejects.toThrow(
      "The one-time code has expired",
    );
    await expect(
      bank.startCardDebit({ requestId: "r", bankRef: "0x01", cardToken: "SIM-CARD-forged", amountFen: 1n }),
    ).rejects.toBeInstanceOf(BankDeclinedError);
  });
});
