// Makes sure `policies/bin` is current before a spec or the benchmark spawns the pack (its `main` is
// bin/index.js, compiled by `npm run build --prefix policies`). Parallel spec files share a lock so only one
// compiles; the others wait and then see a fresh build.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultPackDir } from "./packTree";

function newestMtime(dir: string, accept: (file: string) => boolean): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "bin" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, accept));
    else if (accept(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when bin/<main> is missing or older than any source the build reads. */
export function packBuildIsStale(packDir: string = defaultPackDir): boolean {
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
  const main = path.join(packDir, pkg.main ?? "index.js");
  if (!fs.existsSync(main)) return true;
  if (!main.endsWith(".js") || !pkg.main?.startsWith("bin/")) return false;
  const sources = newestMtime(
    packDir,
    (f) => /\.(ts|json)$/.test(f) && !f.endsWith(".d.ts") && !f.endsWith("package-lock.json"),
  );
  return sources > fs.statSync(main).mtimeMs;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(lockDir: string, fn: () => T, timeoutMs = 180_000): T {
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 300_000) fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* raced with the owner */
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${lockDir}`, { cause: e });
      sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Build the pack (`npm run build --prefix policies`) if its output is stale. */
export function ensurePackBuilt(packDir: string = defaultPackDir): void {
  if (!packBuildIsStale(packDir)) return;
  withLock(path.join(os.tmpdir(), "alinux-guard-pack-build.lock"), () => {
    if (!packBuildIsStale(packDir)) return;
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["run", "build", "--prefix", packDir], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  });
}
