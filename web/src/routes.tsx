// The dApp's pages. To add one: one line here (pages are lazy, so each is its own chunk), and an
// entry in nav.ts if it belongs in the navigation.
//   wallet: "required" shows the wallet screens until a wallet is connected; "optional" does not.
import { type ComponentType, type LazyExoticComponent, lazy } from "react";

export type PageProps = { params: Record<string, string>; query: URLSearchParams };

export type RouteDef = {
  path: string;
  page: LazyExoticComponent<ComponentType<PageProps>>;
  wallet: "required" | "optional";
};

export const routes: RouteDef[] = [
  { path: "/", page: lazy(() => import("./features/home/HomePage")), wallet: "required" },
  { path: "/pay", page: lazy(() => import("./features/pay/PayPage")), wallet: "required" },
  { path: "/receive", page: lazy(() => import("./features/receive/ReceivePage")), wallet: "required" },
  { path: "/transfer", page: lazy(() => import("./features/transfer/TransferPage")), wallet: "required" },
  { path: "/settings", page: lazy(() => import("./features/settings/SettingsPage")), wallet: "optional" },
  { path: "/wallet", page: lazy(() => import("./features/wallet/WalletPage")), wallet: "optional" },
  { path: "/devices/add", page: lazy(() => import("./features/wallet/AddDevicePage")), wallet: "required" },
  { path: "/history", page: lazy(() => import("./features/history/HistoryPage")), wallet: "required" },
  { path: "/redpackets", page: lazy(() => import("./features/redpackets/RedPacketsPage")), wallet: "required" },
  { path: "/redpackets/claim/*", page: lazy(() => import("./features/redpackets/ClaimPage")), wallet: "optional" },
  { path: "/vouchers", page: lazy(() => import("./features/vouchers/VouchersPage")), wallet: "required" },
  // Optional: in counter mode the page keeps receiving with the wallet locked (it shows the wallet screens otherwise).
  { path: "/merchant", page: lazy(() => import("./features/merchant/MerchantPage")), wallet: "optional" },
  { path: "/merchant/api", page: lazy(() => import("./features/openapi/ApiPage")), wallet: "required" },
  // Readable by a shop's developer without the shop's wallet: the live /openapi.json, rendered.
  {
    path: "/merchant/api/reference",
    page: lazy(() => import("./features/openapi/ApiReferencePage")),
    wallet: "optional",
  },
  { path: "/ledger", page: lazy(() => import("./features/ledger/LedgerPage")), wallet: "optional" },
  { path: "/desk", page: lazy(() => import("./features/desk/DeskPage")), wallet: "required" },
  { path: "/alerts", page: lazy(() => import("./features/account/AlertsPage")), wallet: "required" },
  { path: "/family", page: lazy(() => import("./features/family/FamilyPage")), wallet: "required" },
  { path: "/topup", page: lazy(() => import("./features/account/TopUpPage")), wallet: "required" },
  { path: "/recovery", page: lazy(() => import("./features/recovery/RecoveryPage")), wallet: "required" },
  { path: "/recovery/help", page: lazy(() => import("./features/recovery/GuardianPage")), wallet: "required" },
  { path: "/identity", page: lazy(() => import("./features/identity/IdentityPage")), wallet: "required" },
];
