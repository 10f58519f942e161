// A shop's 亲属卡 receipts: read in core (the city service's insights read them too).
export { readCardReceipts } from "@core/history/cardReceipts";
