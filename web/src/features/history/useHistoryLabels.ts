// Names, kinds and categories for history entries in the resident's language: merchants from the
// registry (one batched read for every counterparty), contacts from this device, and our own
// words for the escrow and the bank. Shared by the list, filters, chart, CSV and vouchers ranking.

import { MERCHANT_CATEGORIES, categoryName as merchantCategoryName } from "@core/enums";
import type { HistoryEntry } from "@core/history/assemble";
import { type MerchantDirectory, readMerchants } from "@core/history/merchantDirectory";
import { categoryOf, type HistoryCategory } from "@core/history/summary";
import { displayOrderRef } from "@core/orderRef";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { useContacts } from "../../contacts/contactsStore";
import { deployment } from "../../contracts";
import { historyMessages } from "../../i18n/messages/history";
import { useLang, useT } from "../../i18n/useT";

export const HISTORY_CATEGORIES: readonly HistoryCategory[] = [
  ...MERCHANT_CATEGORIES,
  "transfer",
  "redPacket",
  "topUp",
  "cashOut",
];

const EMPTY_DIRECTORY: MerchantDirectory = new Map();

export function useMerchantDirectory(entries: readonly HistoryEntry[]): MerchantDirectory {
  const client = usePublicClient({ chainId: cityChain.id });
  const addresses = useMemo(() => {
    const set = new Set<string>();
    for (const e of entries) if (e.counterparty) set.add(e.counterparty.toLowerCase());
    return [...set].sort();
  }, [entries]);
  const { data } = useQuery({
    queryKey: ["merchantDirectory", addresses.length, addresses[0], addresses[addresses.length - 1]],
    enabled: Boolean(client && deployment && addresses.length > 0),
    staleTime: 5 * 60_000,
    placeholderData: (previous) => previous,
    queryFn: () =>
      readMerchants(client as PublicClient, deployment?.contracts.MerchantRegistry as Address, addresses as Address[]),
  });
  return data ?? EMPTY_DIRECTORY;
}

export function useHistoryLabels(me: Address | undefined, entries: readonly HistoryEntry[]) {
  const t = useT(historyMessages);
  const lang = useLang();
  const contacts = useContacts(me);
  const merchants = useMerchantDirectory(entries);

  const category = useCallback(
    (entry: HistoryEntry): HistoryCategory => categoryOf(entry, (a) => merchants.get(a.toLowerCase())?.category),
    [merchants],
  );
  const categoryLabel = useCallback(
    (c: HistoryCategory): string =>
      c === "transfer" || c === "redPacket" || c === "topUp" || c === "cashOut"
        ? t(`cat_${c}`)
        : merchantCategoryName(c, lang),
    [t, lang],
  );
  const contactNames = useMemo(() => new Map(contacts.map((c) => [c.address.toLowerCase(), c.name])), [contacts]);
  const counterpartyName = useCallback(
    (entry: HistoryEntry): string => {
      if (entry.kind === "topUp" || entry.kind === "cashOut") return t("cityBank");
      if (entry.kind.startsWith("redPacket")) return t("packetNumber", { id: String(entry.packetId ?? "") });
      if (!entry.counterparty) return "";
      const key = entry.counterparty.toLowerCase();
      return merchants.get(key)?.name ?? contactNames.get(key) ?? "";
    },
    [merchants, contactNames, t],
  );
  const kindLabel = useCallback(
    (entry: HistoryEntry): string => {
      if (entry.kind === "payment" && entry.direction === "in") return t("in_payment");
      if (entry.kind === "transfer") return t(entry.direction === "in" ? "in_transfer" : "out_transfer");
      return t(`kind_${entry.kind}`);
    },
    [t],
  );
  const searchText = useCallback(
    (entry: HistoryEntry): string =>
      [
        counterpartyName(entry),
        entry.counterparty ?? "",
        entry.orderRef ? displayOrderRef(entry.orderRef) : "",
        entry.greeting ?? "",
        kindLabel(entry),
        categoryLabel(category(entry)),
      ].join(" "),
    [counterpartyName, kindLabel, categoryLabel, category],
  );
  return { merchants, category, categoryLabel, counterpartyName, kindLabel, searchText };
}
