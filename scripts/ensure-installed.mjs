// Runs before `npm start` and `npm test` with whatever Node the machine has (18+): installs the
// project's packages under Node 22 when they are missing or older than the lock file, so a fresh
// clone needs nothing installed by hand. Plain JavaScript on purpose: it must run before tsx exists.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lock = path.join(root, "package-lock.json");
const marker = path.join(root, "node_modules", ".package-lock.json");
const node22 = path.join(root, "node_modules", ".bin", "node");

const fresh = existsSync(marker) && existsSync(node22) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!fresh) {
  process.stdout.write("Installing the project's packages under Node 22 (npm run setup)…\n");
  const result = spawnSync("npm", ["run", "setup"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write("Installing failed; see above. Retry with `npm run setup`.\n");
    process.exit(result.status ?? 1);
  }
}
