// The card's limits between the form and the contract: yuan typed into fen, categories as the
// contract's bit set (bit `1 << category` per IMerchantRegistry.Category), and back into words.
import { categoryName, MERCHANT_CATEGORIES, type MerchantCategory } from "@core/enums";
import type { Lang } from "@core/i18n";

/** Every category: FamilyCards.ALL_CATEGORIES (8 categories, one bit each). */
export const ALL_CATEGORIES = 0xff;

export function categoryBits(chosen: readonly MerchantCategory[]): number {
  return chosen.reduce((bits, c) => bits | (1 << MERCHANT_CATEGORIES.indexOf(c)), 0);
}

export function categoriesOf(bits: number): MerchantCategory[] {
  return MERCHANT_CATEGORIES.filter((_, i) => (bits >> i) & 1);
}

export function allowsCategory(bits: number, category: MerchantCategory): boolean {
  return ((bits >> MERCHANT_CATEGORIES.indexOf(category)) & 1) === 1;
}

export function categoriesText(bits: number, lang: Lang, all: string): string {
  if ((bits & ALL_CATEGORIES) === ALL_CATEGORIES) return all;
  return categoriesOf(bits)
    .map((c) => categoryName(c, lang))
    .join(lang === "zh" ? "、" : ", ");
}
