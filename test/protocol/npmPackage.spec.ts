// policies/ as the npm package `alinux-guard`: what `npm pack` puts in the tarball (the same tarball
// `pulumi policy publish` uploads: it runs `npm pack` in the pack directory), and the package.json fields that
// publishing and installing rely on. test/e2e/npmPackage.spec.ts installs that tarball and runs it.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { defaultPackDir } from "../../tools/engine/packTree";

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  main: string;
  files: string[];
  exports: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  dependencies: Record<string, string>;
  scripts?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(path.join(defaultPackDir, "package.json"), "utf8")) as PackageJson;

/** Every file under dir, relative to it, skipping node_modules. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === "node_modules"
      ? []
      : e.isDirectory()
        ? walk(path.join(dir, e.name), base)
        : [path.relative(base, path.join(dir, e.name))],
  );
}

describe("npm package alinux-guard (policies/)", () => {
  let files: string[];

  beforeAll(() => {
    ensurePackBuilt(defaultPackDir);
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: defaultPackDir,
      encoding: "utf8",
    });
    const [report] = JSON.parse(out) as { name: string; version: string; files: { path: string }[] }[];
    expect(report?.name).toBe(pkg.name);
    files = report.files.map((f) => f.path).sort();
  }, 120_000);

  it("has what `pulumi policy publish` and `npm publish` need: a name, a semver version, not private, main in the package", () => {
    expect(pkg.name).toBe("alinux-guard");
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(pkg.private).toBeUndefined();
    expect(pkg.main).toBe("bin/index.js");
    expect(files).toContain(pkg.main);
    // The engine (and the service, after publishing) installs the pack's dependencies and runs it: the runtime
    // packages are dependencies, not devDependencies, and no build step runs at install time.
    // Every package the built pack loads (require or dynamic import, in any shipped module) is a dependency.
    const loaded = new Set<string>();
    for (const file of files.filter((f) => f.startsWith("bin/") && f.endsWith(".js"))) {
      const code = readFileSync(path.join(defaultPackDir, file), "utf8");
      for (const [, spec] of code.matchAll(/(?:require|import)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
        if (spec.startsWith("node:")) continue;
        loaded.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
      }
    }
    expect(loaded.has("@pulumi/policy")).toBe(true);
    for (const name of loaded) expect(Object.keys(pkg.dependencies), name).toContain(name);
    for (const hook of ["preinstall", "install", "postinstall", "prepare", "prepack"])
      expect(pkg.scripts?.[hook], hook).toBeUndefined();
  });

  it("ships the prebuilt pack: PulumiPolicy.yaml, package.json, README, bin/ (JavaScript + declarations) and data/", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "PulumiPolicy.yaml",
        "package.json",
        "README.md",
        "bin/index.js",
        "bin/library.js",
        "bin/library.d.ts",
      ]),
    );
    const manifest = parse(readFileSync(path.join(defaultPackDir, "PulumiPolicy.yaml"), "utf8")) as { runtime: string };
    expect(manifest.runtime).toBe("nodejs");
    for (const data of readdirSync(path.join(defaultPackDir, "data"))) expect(files, data).toContain(`data/${data}`);
  });

  it("ships nothing else: no TypeScript sources, tests, configs or dependencies", () => {
    const unexpected = files.filter(
      (f) =>
        !/^bin\/.+\.(js|js\.map|d\.ts|json)$/.test(f) &&
        !/^data\/[^/]+\.json$/.test(f) &&
        !["PulumiPolicy.yaml", "package.json", "README.md"].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.some((f) => f.includes("node_modules") || f.endsWith("tsconfig.json"))).toBe(false);
  });

  it("ships no stale output: every compiled module in bin/ has its source", () => {
    const compiled = walk(path.join(defaultPackDir, "bin")).filter((f) => f.endsWith(".js"));
    const orphans = compiled.filter((f) => !existsSync(path.join(defaultPackDir, f.replace(/\.js$/, ".ts"))));
    expect(orphans).toEqual([]);
  });

  it("exports the pack (main) and the library entry, with types resolvable by old and new module resolution", () => {
    expect(pkg.exports["."]).toBe("./bin/index.js");
    expect(pkg.exports["./library"]).toEqual({ types: "./bin/library.d.ts", default: "./bin/library.js" });
    expect(pkg.typesVersions?.["*"]?.["library"]).toEqual(["bin/library.d.ts"]);
    expect(files).toContain("bin/library.d.ts");
  });
});
