// Generated policy packs that resolve the *same* module tree as `policies/` (its node_modules, its
// @pulumi/policy, @pulumi/pulumi, typescript), so the harness can be tested on its own and the benchmark
// can compare the real pack against a pack that does nothing.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AnalyzerInfoView, Diagnostic } from "./protocolViews";
import { defaultPackDir } from "./packTree";

/** Where the benchmark's do-nothing pack is generated (gitignored, inside policies/ so it shares policies/node_modules). */
export const benchBaselineDir = path.join(defaultPackDir, ".bench-baseline");

interface PackFiles {
  name: string;
  indexJs: string;
  /** PulumiPolicy.yaml `version`, if any. */
  yamlVersion?: string;
  /** package.json `version` (the SDK's version of the pack); 0.0.1 unless given. */
  packageVersion?: string;
}

function writePack(dir: string, files: PackFiles): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "PulumiPolicy.yaml"),
    `runtime: nodejs\ndescription: generated pack ${files.name}\n${files.yamlVersion ? `version: ${files.yamlVersion}\n` : ""}`,
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      { name: files.name, version: files.packageVersion ?? "0.0.1", main: "index.js", private: true },
      null,
      2,
    ) + "\n",
  );
  // Same tsconfig as the real pack: run-policy-pack always registers ts-node and parses ./tsconfig.json.
  const tsconfig = path.join(defaultPackDir, "tsconfig.json");
  if (fs.existsSync(tsconfig)) fs.copyFileSync(tsconfig, path.join(dir, "tsconfig.json"));
  fs.writeFileSync(path.join(dir, "index.js"), files.indexJs);
  return dir;
}

/**
 * A pack with the same *shape* as the real one (same number of resource and stack policies) whose
 * policies return immediately. Written into `policies/.bench-baseline/`, so Node resolves
 * @pulumi/policy, @pulumi/pulumi and typescript from policies/node_modules exactly as for the real pack.
 */
export function writeDoNothingPack(opts: { resourcePolicies: number; stackPolicies: number; dir?: string }): string {
  const dir = opts.dir ?? benchBaselineDir;
  const policies = noopResourcePolicies(opts.resourcePolicies);
  for (let i = 0; i < opts.stackPolicies; i++) {
    policies.push(
      `{ name: "noop-stack-${i}", description: "Does nothing.", enforcementLevel: "mandatory", validateStack: () => {} }`,
    );
  }
  return writePack(dir, { name: "do-nothing", indexJs: packIndexJs("do-nothing", policies) });
}

/** Source of resource policies that return at once, in the generated packs' index.js. */
function noopResourcePolicies(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `{ name: "noop-resource-${i}", description: "Does nothing.", enforcementLevel: "advisory", validateResource: () => {} }`,
  );
}

/** A generated pack's index.js: a PolicyPack of the given policy sources, after an optional preamble. */
function packIndexJs(packName: string, policies: readonly string[], preamble = ""): string {
  return `"use strict";
const { PolicyPack } = require("@pulumi/policy");
${preamble}new PolicyPack(${JSON.stringify(packName)}, { policies: [
  ${policies.join(",\n  ")}
] });
`;
}

/** Where the benchmark's replay pack is generated (gitignored, inside policies/ for the same reason). */
export const benchReplayDir = path.join(defaultPackDir, ".bench-replay");

/**
 * A pack that analyses nothing and reports what the real pack answered to one `AnalyzeStack` (`info` from its
 * GetAnalyzerInfo, `diagnostics` from its answer), recorded in `replay.json` and read when it starts. Same pack name,
 * version, stack policy (name, description, level, severity) and as many no-op resource policies, same messages and
 * URNs — so its response is the real pack's, byte for byte. The benchmark uses it to split the real pack's cost into
 * reporting its violations (SDK diagnostics, protobuf encoding, transfer, their GC) and finding them (the analysis).
 */
export function writeReplayPack(opts: {
  info: AnalyzerInfoView;
  diagnostics: readonly Diagnostic[];
  dir?: string;
}): string {
  const dir = opts.dir ?? benchReplayDir;
  const { info } = opts;
  const stackPolicies = info.policies.filter((p) => p.policyType === "stack");
  if (stackPolicies.length === 0) throw new Error(`pack ${info.name} has no stack policy to replay`);
  // Reported as a string, the SDK joins the policy description and the message with a newline (the description
  // alone for an empty message); the replay pack's SDK does the same, so such a message is recorded without it. A
  // message without the description line was reported as an object ({ message, urn }: the SDK sends it as it is,
  // policies/src/runtime/violationReport.ts) and is replayed the same way.
  const replay: Record<string, { urn: string; message: string; asIs?: true }[]> = {};
  for (const { name, description } of stackPolicies) {
    replay[name] = opts.diagnostics
      .filter((d) => d.policyName === name)
      .map((d) =>
        d.message === description
          ? { urn: d.urn, message: "" }
          : d.message.startsWith(`${description}\n`)
            ? { urn: d.urn, message: d.message.slice(description.length + 1) }
            : { urn: d.urn, message: d.message, asIs: true as const },
      );
  }
  const policies = noopResourcePolicies(info.policies.filter((p) => p.policyType === "resource").length);
  // Stack policies first, in the real pack's order, as the SDK runs them (one deserialisation pass each).
  policies.unshift(
    ...stackPolicies.map(
      (p) =>
        `{ name: ${JSON.stringify(p.name)}, description: ${JSON.stringify(p.description)}, enforcementLevel: ${JSON.stringify(p.enforcementLevel)}, ` +
        `${p.severity ? `severity: ${JSON.stringify(p.severity)}, ` : ""}validateStack: (args, report) => { for (const v of replay[${JSON.stringify(p.name)}]) v.asIs ? report({ message: v.message, urn: v.urn }) : report(v.message, v.urn); } }`,
    ),
  );
  const preamble = `const replay = JSON.parse(require("fs").readFileSync(require("path").join(__dirname, "replay.json"), "utf8"));\n`;
  writePack(dir, { name: "replay", indexJs: packIndexJs(info.name, policies, preamble), packageVersion: info.version });
  fs.writeFileSync(path.join(dir, "replay.json"), JSON.stringify(replay));
  return dir;
}

/**
 * A temporary directory whose `node_modules` is a symlink to policies/node_modules. Node resolves
 * symlinks to their real path, so the pack loads the very same module instances as `policies/`.
 */
export function makeLinkedTempPackDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(path.join(defaultPackDir, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * A small pack that exercises every part of the protocol the harness supports; used by the harness's own
 * specs so the harness can be verified independently of the real pack.
 *  - `fixture-resource`  (resource, mandatory, severity high): typed on alicloud:ecs/instance:Instance;
 *    reports when `imageId` is in config `denied`; echoes stackTags and config in the message.
 *  - `fixture-stack`     (stack, advisory): reports every instance with a `propertyDependencies.instanceIds`
 *    link from an EcsInvocation, naming parent and dependency URNs; reads `imageId` of every instance
 *    (unknown -> advisory "can't run").
 *  - `fixture-remediate` (resource, remediate): sets `tags.remediated = "yes"` (returns new props).
 *  - `fixture-na`        (resource, advisory): always `notApplicable("not today")`.
 */
export function writeProtocolFixturePack(
  dir: string,
  opts: {
    yamlVersion?: string;
    initialConfig?: unknown;
    /** false for CLIs older than the remediate level */ withRemediate?: boolean;
  } = {},
): string {
  const indexJs = `"use strict";
const { PolicyPack } = require("@pulumi/policy");
const INSTANCE = "alicloud:ecs/instance:Instance";
function typed(type, fn) { fn.__pulumiType = type; return fn; }
new PolicyPack("protocol-fixture", {
  enforcementLevel: "advisory",
  policies: [
    {
      name: "fixture-resource",
      description: "Denies configured images.",
      enforcementLevel: "mandatory",
      severity: "high",
      tags: ["fixture"],
      framework: { name: "fixture-fw", version: "1", reference: "ref", specification: "spec" },
      remediationSteps: "Use another image.",
      url: "https://example.invalid/fixture",
      displayName: "Fixture resource policy",
      configSchema: {
        properties: {
          denied: { type: "array", items: { type: "string" }, default: ["bad-image"] },
          mode: { type: "string", enum: ["strict", "lenient"], default: "strict" },
          until: { type: "string", pattern: "^\\\\d{4}-\\\\d{2}-\\\\d{2}$" },
          limit: { type: "integer", minimum: 1 },
          owner: { type: "object", properties: { team: { type: "string", minLength: 2 } }, required: ["team"] },
        },
      },
      validateResource: typed(INSTANCE, (args, report) => {
        const cfg = args.getConfig();
        const image = args.props.imageId;
        if (image === "boom") throw new Error("boom: policy bug");
        if ((cfg.denied || []).includes(image)) {
          report("denied image " + image + " tags=" + JSON.stringify(Object.fromEntries(args.stackTags)) + " cfg=" + JSON.stringify(cfg)
            + " provider=" + (args.provider ? args.provider.type : "none") + " parent=" + (args.opts.parent || ""));
        }
      }),
    },
    {
      name: "fixture-stack",
      description: "Reports linked instances.",
      validateStack: (args, report) => {
        const instances = args.resources.filter((r) => r.type === INSTANCE);
        for (const inv of args.resources.filter((r) => r.type === "alicloud:ecs/ecsInvocation:EcsInvocation")) {
          for (const dep of inv.propertyDependencies.instanceIds || []) {
            report("linked " + dep.name + " parent=" + (inv.parent ? inv.parent.type : "none") + " deps=" + inv.dependencies.map((d) => d.name).join(","), dep.urn);
          }
        }
        for (const i of instances) {
          if (i.props.imageId === "bad-image") report("bad image on " + i.name, i.urn);
        }
        report("stack-level violation");
      },
    },
    ${
      opts.withRemediate === false
        ? ""
        : `{
      name: "fixture-remediate",
      description: "Tags instances.",
      enforcementLevel: "remediate",
      remediateResource: typed(INSTANCE, (args) => {
        const tags = Object.assign({}, args.props.tags || {}, { remediated: "yes" });
        return Object.assign({}, args.props, { tags });
      }),
    },`
    }
    {
      name: "fixture-na",
      description: "Never applies.",
      validateResource: (args) => args.notApplicable("not today"),
    },
  ],
}${opts.initialConfig ? `, ${JSON.stringify(opts.initialConfig)}` : ""});
`;
  return writePack(dir, { name: "protocol-fixture", indexJs, yamlVersion: opts.yamlVersion });
}

/** A pack that prints to stdout before the port, as a careless `console.log` at module load would. */
export function writeNoisyPack(dir: string): string {
  const indexJs = `"use strict";
console.log("loading policies...");
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("noisy", { policies: [{ name: "p", description: "d", validateResource: () => {} }] });
`;
  return writePack(dir, { name: "noisy", indexJs });
}

/** A pack that throws while loading (before it can print its port). */
export function writeCrashingPack(dir: string): string {
  const indexJs = `"use strict";
require("@pulumi/policy");
throw new Error("policy pack failed to load");
`;
  return writePack(dir, { name: "crashing", indexJs });
}
