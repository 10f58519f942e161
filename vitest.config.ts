// Vitest runs the web and service unit tests, and the browser tests against the whole local
// system (started once by test/e2e/global-setup.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/web/**/*.test.ts", "test/server/**/*.test.ts", "test/indexer/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          fileParallelism: false,
          // Only the layout walk runs tests concurrently; two at a time keeps both cores busy.
          maxConcurrency: 2,
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
  resolve: {
    alias: {
      "@generated": new URL("./generated", import.meta.url).pathname,
      "@core": new URL("./core", import.meta.url).pathname,
    },
  },
});
