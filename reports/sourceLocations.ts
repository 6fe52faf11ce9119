// Where in the program a resource is declared, so code scanning can annotate that line.
//
// The engine's events carry no source position for policy violations. A stack export (`pulumi stack export`, CLIs
// that record positions) gives `sourcePosition: "project:///<path from the project root>#<line>[,<column>]"` per
// resource (pkg/resource/deploy/source_eval.go, parseSourcePosition): that is used first when given. Otherwise the
// program's sources under the program directory are searched for the resource's logical name as a string literal:
// first as the first argument of a
// constructor (`new ecs.Instance("web", …)`, `ecs.Instance("web", …)`, `NewInstance(ctx, "web", …)`), then as a key of
// a YAML program's `resources:` map, then as any string literal. The first match wins; the search is bounded
// (files up to 1 MiB, at most 2 000 files, no node_modules, .git or build output). Not found — or no program
// directory — means the project file (`Pulumi.yaml`), line 1: SARIF needs a location and that is the honest one.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { resourceNameOf } from "./policyRun";

/** A resource's recorded position: a path relative to the project root, a line, maybe a column. */
export interface RecordedPosition {
  readonly path: string;
  readonly line: number;
  readonly column?: number;
}

/** Parses `project:///index.ts#19,5` (apitype ResourceV3.SourcePosition); undefined for anything else. */
export function parseSourcePosition(raw: string): RecordedPosition | undefined {
  const m = /^project:\/\/\/([^#]+)#(\d+)(?:,(\d+))?$/.exec(raw);
  if (!m || Number(m[2]) < 1) return undefined;
  return {
    path: decodeURIComponent(m[1]),
    line: Number(m[2]),
    ...(m[3] && Number(m[3]) > 0 ? { column: Number(m[3]) } : {}),
  };
}

/** The source positions a stack export records, by URN (none when the CLI did not record them). */
export function readSourcePositions(exportText: string): Map<string, RecordedPosition> {
  const positions = new Map<string, RecordedPosition>();
  const doc = JSON.parse(exportText) as { deployment?: { resources?: { urn?: unknown; sourcePosition?: unknown }[] } };
  for (const r of doc.deployment?.resources ?? []) {
    const pos = typeof r.sourcePosition === "string" ? parseSourcePosition(r.sourcePosition) : undefined;
    if (pos && typeof r.urn === "string") positions.set(r.urn, pos);
  }
  return positions;
}

export interface SourceLocation {
  /** Relative to the base directory (forward slashes), as SARIF artifact URIs want. */
  readonly uri: string;
  readonly line: number;
  readonly column?: number;
  /** Whether the resource's declaration was found (else this is the project file). */
  readonly declaration: boolean;
}

const SOURCE_EXTENSIONS = new Set([
  ".ts",
  ".tsx",
  ".mts",
  ".cts",
  ".js",
  ".mjs",
  ".cjs",
  ".py",
  ".go",
  ".cs",
  ".fs",
  ".vb",
  ".java",
  ".kt",
  ".scala",
  ".yaml",
  ".yml",
]);
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  "bin",
  "obj",
  "dist",
  "build",
  "venv",
  ".venv",
  "__pycache__",
  "target",
]);
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 1 << 20;

function listSources(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files.length >= MAX_FILES) return;
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith(".")) walk(full);
      } else if (e.isFile() && SOURCE_EXTENSIONS.has(path.extname(e.name)) && !/^Pulumi\..+\.ya?ml$/.test(e.name)) {
        files.push(full);
      }
    }
  };
  walk(dir);
  return files;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Finds declarations of resources by logical name under a program directory; one search of the sources per name. */
export class SourceLocator {
  private files: { readonly file: string; readonly text: string }[] | undefined;
  private readonly cache = new Map<string, SourceLocation>();

  /**
   * `baseDir`: what URIs are relative to (the repository root in CI: the working directory). `positions`: recorded
   * source positions by URN (readSourcePositions), relative to the program directory (the project root).
   */
  constructor(
    private readonly programDir: string | undefined,
    private readonly baseDir: string = process.cwd(),
    private readonly positions: ReadonlyMap<string, RecordedPosition> = new Map(),
  ) {}

  private sources() {
    if (!this.files) {
      this.files = [];
      if (this.programDir && existsSync(this.programDir)) {
        for (const file of listSources(this.programDir)) {
          try {
            if (statSync(file).size <= MAX_FILE_BYTES) this.files.push({ file, text: readFileSync(file, "utf8") });
          } catch {
            // Unreadable: not a source we can point at.
          }
        }
      }
    }
    return this.files;
  }

  private uri(file: string): string {
    return path.relative(this.baseDir, file).split(path.sep).join("/") || path.basename(file);
  }

  /** The project file, line 1: where a resource goes when its declaration is not found. */
  projectFile(): SourceLocation {
    const dir = this.programDir ?? this.baseDir;
    const file =
      ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => existsSync(f)) ??
      path.join(dir, "Pulumi.yaml");
    return { uri: this.uri(file), line: 1, declaration: false };
  }

  /** Where the resource with this URN is declared: its recorded position, else a search by its name. */
  locate(urn: string): SourceLocation {
    const recorded = this.positions.get(urn);
    if (recorded) {
      const file = path.resolve(this.programDir ?? this.baseDir, recorded.path);
      return {
        uri: this.uri(file),
        line: recorded.line,
        ...(recorded.column ? { column: recorded.column } : {}),
        declaration: true,
      };
    }
    const name = resourceNameOf(urn);
    const cached = this.cache.get(name);
    if (cached) return cached;
    const location = name === "" ? this.projectFile() : (this.search(name) ?? this.projectFile());
    this.cache.set(name, location);
    return location;
  }

  private search(name: string): SourceLocation | undefined {
    const lit = `(["'\`])${escapeRegExp(name)}\\1`;
    const patterns = [
      // new pkg.Type("name", …) / pkg.Type("name", …) / NewType(ctx, "name", …) / Type(this, "name", …)
      new RegExp(`[\\w$.]+\\s*\\(\\s*(?:[\\w$.&]+\\s*,\\s*)?${lit}\\s*,`),
      // YAML programs: `  name:` as a key of the resources map
      new RegExp(`^[ ]{2,}${escapeRegExp(name)}:\\s*$`, "m"),
      new RegExp(lit),
    ];
    for (const pattern of patterns) {
      for (const { file, text } of this.sources()) {
        const isYaml = /\.ya?ml$/.test(file);
        if ((pattern === patterns[1]) !== isYaml && pattern !== patterns[2]) continue;
        const m = pattern.exec(text);
        if (!m) continue;
        const index = m.index + m[0].indexOf(name);
        const before = text.slice(0, index);
        const line = before.split("\n").length;
        const column = index - before.lastIndexOf("\n");
        return { uri: this.uri(file), line, column, declaration: true };
      }
    }
    return undefined;
  }
}
