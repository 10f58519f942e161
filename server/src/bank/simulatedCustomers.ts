// The simulated bank's customers: who it knows, as a real bank knows its cardholders (the four
// elements it confirms: name, resident ID number, card number, the phone it holds). The demo
// residents first (their cards end in the digits the seed has always used, 6200 + account index),
// then the voucher office's clerk, then residents who are not in the demo cast: 王秀英, whose card ends in the same four digits as
// 王阿姨's (two people, one last 4), and two older residents for the browser tests. Every ID number
// carries a valid GB 11643 check digit (test/server/simulatedBank.test.ts). This is the bank's
// data, kept in the bank's code: the city service never stores any of it in clear.

export interface SimulatedCard {
  number: string;
  bank: string;
}

export interface SimulatedCustomer {
  /** The bank's own customer id. */
  id: string;
  name: string;
  idNumber: string;
  phone: string;
  cards: readonly SimulatedCard[];
  /** The demo cast index of the resident this customer is, when she is one. */
  demoIndex?: number;
}

const ICBC = "中国工商银行（演示）";
const CCB = "中国建设银行（演示）";

export const SIMULATED_CUSTOMERS: readonly SimulatedCustomer[] = [
  {
    id: "C0006",
    name: "王秀芳",
    idNumber: "340104195603120020",
    phone: "13855100006",
    cards: [{ number: "6217000010036206", bank: ICBC }],
    demoIndex: 6,
  },
  {
    id: "C0007",
    name: "李明",
    idNumber: "340102198807060016",
    phone: "13855100007",
    cards: [
      { number: "6217000010026207", bank: ICBC },
      { number: "6228480012345003417", bank: CCB },
    ],
    demoIndex: 7,
  },
  {
    id: "C0008",
    name: "张伟",
    idNumber: "340103197902140032",
    phone: "13855100008",
    cards: [{ number: "6217000010016208", bank: ICBC }],
    demoIndex: 8,
  },
  {
    id: "C0009",
    name: "陈静",
    idNumber: "340111199209300041",
    phone: "13855100009",
    cards: [{ number: "6228480012345056209", bank: CCB }],
    demoIndex: 9,
  },
  {
    id: "C0010",
    name: "刘洋",
    idNumber: "340122198511180057",
    phone: "13855100010",
    cards: [{ number: "6217000010076210", bank: ICBC }],
    demoIndex: 10,
  },
  {
    id: "C0011",
    name: "赵磊",
    idNumber: "340104199001010076",
    phone: "13855100011",
    cards: [{ number: "6228480012345016211", bank: CCB }],
    demoIndex: 11,
  },
  {
    // The clerk who holds the voucher office's account (demo account 5): the office's budget comes
    // in by a top-up like any money, and a top-up needs a verified person behind the account.
    id: "C0005",
    name: "吴敏",
    idNumber: "340104198307220047",
    phone: "13855100005",
    cards: [{ number: "6217000010056205", bank: ICBC }],
    demoIndex: 5,
  },
  {
    id: "C0101",
    name: "王秀英",
    idNumber: "340104195808230020",
    phone: "13955100101",
    // Ends in 6206 like 王阿姨's card: another person, another identity.
    cards: [{ number: "6228480012345086206", bank: CCB }],
  },
  {
    id: "C0102",
    name: "孙丽华",
    idNumber: "340181196204050069",
    phone: "13955100102",
    cards: [{ number: "6217000010070551", bank: ICBC }],
  },
  {
    id: "C0103",
    name: "周建国",
    idNumber: "340102195006090019",
    phone: "13955100103",
    cards: [{ number: "6228480012345068899", bank: CCB }],
  },
];

/** The demo resident's customer record (王阿姨 is account 6). */
export function demoCustomer(index: number): SimulatedCustomer | undefined {
  return SIMULATED_CUSTOMERS.find((c) => c.demoIndex === index);
}
