// Hardhat 3 configuration: compiler from the npm `solc` package (no downloads), two build
// profiles, the in-process chain for tests, a local node, and real networks whose RPC URL and
// deployer key come from the encrypted keystore (`npx hardhat keystore set ...`), never the repo.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
// Must match the exact version of the `solc` npm package in package.json: Hardhat trusts it.
const SOLC_VERSION = "0.8.30";
const solcPath = require.resolve("solc/soljson.js");

// `npm test` keeps fuzzing short; `npm run test:deep` runs the long campaign.
const deep = process.env.HCY_FUZZ_PROFILE === "deep";

// OpenZeppelin's P-256 code (passkeys) does not compile without the optimizer ("stack too deep"),
// so the account contracts and the tests that build them are optimised even in the `default`
// profile; everything else stays unoptimised there, as before.
const unoptimised = { version: SOLC_VERSION, path: solcPath, settings: { evmVersion: "prague" } };
const optimised = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: { evmVersion: "prague", optimizer: { enabled: true, runs: 200 } },
};
const optimisedForRuns = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: { evmVersion: "prague", viaIR: true, optimizer: { enabled: true, runs: 1_000_000 } },
};
const passkeySources = [
  ...readdirSync(new URL("contracts/accounts", import.meta.url)).map((file) => `contracts/accounts/${file}`),
  ...readdirSync(new URL("test/contracts/accounts", import.meta.url)).map((file) => `test/contracts/accounts/${file}`),
];

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    profiles: {
      default: {
        compilers: [unoptimised],
        overrides: Object.fromEntries(passkeySources.map((source) => [source, optimised])),
      },
      // What real networks get. The account contracts (passkey accounts, the city paymaster, their
      // recovery) run on every resident's payment and are deployed once: they are compiled through
      // the IR pipeline and optimised for many runs (issue 22: 136,958 → 128,717 gas for a sponsored
      // passkey payment). The IR build takes minutes with solc-js, so `default` keeps the legacy one.
      production: {
        compilers: [optimised],
        overrides: Object.fromEntries(passkeySources.map((source) => [source, optimisedForRuns])),
      },
    },
  },
  paths: {
    tests: { solidity: "test/contracts", nodejs: "test/node" },
  },
  test: {
    solidity: {
      fuzz: { runs: deep ? 5000 : 128, seed: "0x4846435959" },
      invariant: { runs: deep ? 256 : 24, depth: deep ? 200 : 40, failOnRevert: false },
    },
  },
  networks: {
    // Local chains run the unoptimised `default` build, which is larger than the EIP-170 limit
    // for Vouchers; real networks get the `production` build (Ignition deploys it by default).
    // Osaka brings the P-256 signature precompile (EIP-7951) that makes passkey checks cheap.
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "osaka",
      allowUnlimitedContractSize: true,
    },
    // The same chain before Osaka, without the P-256 precompile: the accounts fall back to
    // OpenZeppelin's Solidity P-256 code (`npm run bench -- account-gas` compares both).
    hardhatPrague: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "prague",
      allowUnlimitedContractSize: true,
    },
    // The chain `npm start` runs (`hardhat node`). The launcher may start it a month in the past
    // so the demo ledger has a month of history that ends today.
    node: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "osaka",
      allowUnlimitedContractSize: true,
      // Like the city's consortium chain (Besu with zeroBaseFee and min-gas-price 0), the local
      // chain is gasless: residents need no ETH, only HCY.
      initialBaseFeePerGas: 0,
      ...(process.env.HCY_CHAIN_INITIAL_DATE ? { initialDate: process.env.HCY_CHAIN_INITIAL_DATE } : {}),
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.HCY_RPC_URL ?? "http://127.0.0.1:8545",
    },
    // A city consortium chain (e.g. Hyperledger Besu with QBFT): set with
    //   npx hardhat keystore set CITY_CHAIN_RPC_URL
    //   npx hardhat keystore set CITY_CHAIN_DEPLOYER_KEY
    cityChain: {
      type: "http",
      chainType: "l1",
      url: configVariable("CITY_CHAIN_RPC_URL"),
      accounts: [configVariable("CITY_CHAIN_DEPLOYER_KEY")],
    },
    // A public L2 (OP Stack), same keystore mechanism.
    publicL2: {
      type: "http",
      chainType: "op",
      url: configVariable("L2_RPC_URL"),
      accounts: [configVariable("L2_DEPLOYER_KEY")],
    },
  },
});
