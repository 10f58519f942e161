// Types of the Vite env variables the dApp reads (see env.ts).
/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_CHAIN_ID?: string;
  readonly VITE_RPC_URL?: string;
  readonly VITE_RPC_WS_URL?: string;
  readonly VITE_SERVICE_URL?: string;
  readonly VITE_CHAIN_NAME?: string;
  readonly VITE_GASLESS?: string;
  readonly VITE_BUNDLER_URL?: string;
  readonly VITE_INDEXER_URL?: string;
  readonly VITE_AUDITOR_ADDRESS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
