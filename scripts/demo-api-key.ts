// A merchant API key for a demo shop on the LOCAL chain (`npm start`), for trying the merchant API
// and the sample till (examples/till/) from a terminal. It does what the shop owner does in the
// dApp: signs in to the city service with the shop's wallet (Sign-In with Ethereum, the same
// nonce and verify routes) and creates a key, shown once. The demo shops' keys derive from
// Hardhat's public test mnemonic, so this works only against a local chain; a real shop creates
// its keys in the dApp.
//
//   npx tsx scripts/demo-api-key.ts [--shop 12] [--service http://127.0.0.1:8787] [--web http://127.0.0.1:5173]
//     [--label "Till 1"] [--scopes receipts:read,requests:write,refunds:write]
// prints the key (hcy_live_…) alone on stdout; what it did goes to stderr.
import { parseArgs } from "node:util";
import { cityServiceClient } from "./lib/cityService.js";
import { localAccount, MERCHANTS } from "./lib/demo-accounts.js";

const LOCAL_CHAIN_ID = 31337;

const { values } = parseArgs({
  options: {
    shop: { type: "string", default: String(MERCHANTS[0]?.index ?? 12) },
    service: { type: "string", default: process.env.HCY_API_URL ?? "http://127.0.0.1:8787" },
    web: { type: "string", default: process.env.HCY_DAPP_ORIGIN ?? "http://127.0.0.1:5173" },
    label: { type: "string", default: "Sample till" },
    scopes: { type: "string", default: "receipts:read,requests:write,refunds:write" },
  },
});

const merchant = MERCHANTS.find((m) => m.index === Number(values.shop));
if (merchant === undefined) {
  process.stderr.write(`--shop must be a demo shop: ${MERCHANTS.map((m) => `${m.index} (${m.nameEn})`).join(", ")}\n`);
  process.exit(2);
}
const account = localAccount(merchant.index);
try {
  const session = await cityServiceClient(values.service, values.web).signIn(account, LOCAL_CHAIN_ID);
  const made = await session.post<{ id: string; key: string; scopes: string[] }>("/merchant/keys", {
    label: values.label,
    scopes: values.scopes.split(",").map((s) => s.trim()),
  });
  process.stderr.write(
    `API key ${made.id} for ${merchant.name} (${merchant.nameEn}, ${account.address}), scopes ${made.scopes.join(" ")}; shown once:\n`,
  );
  process.stdout.write(`${made.key}\n`);
} catch (error) {
  process.stderr.write(
    `Could not make a key at ${values.service} (is \`npm start\` running?): ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
