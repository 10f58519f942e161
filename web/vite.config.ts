// Vite build of the residents' dApp. Root is web/; ABIs and addresses come from ../generated
// through the `@generated` alias, so the app never carries a hand-copied ABI or address; the rules
// it shares with the service and scripts come from ../core through the `@core` alias.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webDir = fileURLToPath(new URL(".", import.meta.url));
const generatedDir = fileURLToPath(new URL("../generated", import.meta.url));
const coreDir = fileURLToPath(new URL("../core", import.meta.url));

// The app is served on one fixed local port: the city service's SIWE check and the browser tests
// both expect this origin, so a silent fallback to another port would only hide a clash.
const local = { host: "127.0.0.1", port: 5173, strictPort: true } as const;

export default defineConfig({
  root: webDir,
  envDir: webDir,
  plugins: [react()],
  resolve: {
    alias: { "@generated": generatedDir, "@core": coreDir },
  },
  server: local,
  preview: local,
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    rolldownOptions: {
      output: {
        // React changes rarely and is needed on every page: its own long-cached chunk. Everything
        // else is split by use (React.lazy pages in routes.tsx). A manual group for wagmi/viem
        // would drag every action any lazy page uses into the first download.
        codeSplitting: {
          groups: [{ name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
});
