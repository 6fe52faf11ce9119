// The stand-in provider's GetSchema answer (stand-in/pulumi-resource-alicloud/schema.ts): it must describe every
// resource type and data source the bundled YAML examples use, with every property they set, and only what the
// stand-in actually answers. Tokens are resolved the way pulumi-yaml does with the schema's moduleFormat:
// `alicloud:ecs:Instance` → `alicloud:ecs/instance:Instance`, `alicloud:getZones` → `alicloud:index/getZones:getZones`.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXAMPLES_DIR } from "../../tools/e2e/pulumiCli";
import { runtimeOf, SCENARIOS } from "../../tools/e2e/scenarios";
import { standInProvider } from "../../stand-in/pulumi-resource-alicloud/provider";
import { FUNCTIONS, OBJECT_TYPES, RESOURCES } from "../../stand-in/pulumi-resource-alicloud/schema";

interface YamlProgram {
  runtime: string;
  resources?: Record<string, { type: string; properties?: Record<string, unknown> }>;
  variables?: Record<string, unknown>;
}

interface SchemaJson {
  name: string;
  version: string;
  meta: { moduleFormat: string };
  types: Record<string, { properties: Record<string, unknown> }>;
  resources: Record<string, { inputProperties: Record<string, unknown> }>;
  functions: Record<
    string,
    { inputs: { properties: Record<string, unknown> }; outputs: { properties: Record<string, unknown> } }
  >;
}

const programs = readdirSync(EXAMPLES_DIR)
  .filter((d) => {
    try {
      return (parse(readFileSync(path.join(EXAMPLES_DIR, d, "Pulumi.yaml"), "utf8")) as YamlProgram).runtime === "yaml";
    } catch {
      return false;
    }
  })
  .map((d) => ({
    dir: d,
    program: parse(readFileSync(path.join(EXAMPLES_DIR, d, "Pulumi.yaml"), "utf8")) as YamlProgram,
  }));

/** The schema token a YAML program's `pkg:module:Name` (or `pkg:Name`) means, per the schema's moduleFormat. */
function resolveToken(short: string, tokens: readonly string[], moduleFormat: string): string | undefined {
  const parts = short.split(":");
  const [pkg, mod, name] = parts.length === 2 ? [parts[0], "index", parts[1]] : parts;
  const format = new RegExp(`^${moduleFormat}$`);
  return tokens.find((t) => {
    const [tPkg, tMod, tName] = t.split(":");
    return tPkg === pkg && tName === name && format.exec(tMod ?? "")?.[1] === mod;
  });
}

/** Every `fn::invoke` in a YAML value tree. */
function invokes(value: unknown): { function: string; arguments?: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap(invokes);
  if (value === null || typeof value !== "object") return [];
  const found: { function: string; arguments?: Record<string, unknown> }[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === "fn::invoke") found.push(v as { function: string; arguments?: Record<string, unknown> });
    found.push(...invokes(v));
  }
  return found;
}

describe("stand-in GetSchema", async () => {
  const schema = JSON.parse(await standInProvider.getSchema!()) as SchemaJson;

  it("is the alicloud package, versioned like the installed SDK, with the real provider's moduleFormat", () => {
    expect(schema.name).toBe("alicloud");
    expect(schema.version).toBe(standInProvider.version);
    expect(schema.meta.moduleFormat).toBe("(.*)(?:/[^/]*)");
  });

  it("there are YAML examples, and every scenario names the runtime its example declares", () => {
    expect(programs.length).toBeGreaterThanOrEqual(4);
    for (const s of SCENARIOS) {
      const program = parse(readFileSync(path.join(EXAMPLES_DIR, s.example, "Pulumi.yaml"), "utf8")) as YamlProgram;
      expect(program.runtime, s.id).toBe(runtimeOf(s));
    }
  });

  for (const { dir, program } of programs) {
    it(`${dir}: every resource type and property it sets is in the schema`, () => {
      for (const [name, resource] of Object.entries(program.resources ?? {})) {
        const token = resolveToken(resource.type, Object.keys(schema.resources), schema.meta.moduleFormat);
        expect(token, `${dir} ${name}: ${resource.type}`).toBeDefined();
        const declared = Object.keys(schema.resources[token!].inputProperties);
        for (const prop of Object.keys(resource.properties ?? {}))
          expect(declared, `${dir} ${name}.${prop}`).toContain(prop);
      }
    });

    it(`${dir}: every fn::invoke names a schema function with its arguments`, () => {
      for (const call of invokes(program.variables ?? {})) {
        const token = resolveToken(call.function, Object.keys(schema.functions), schema.meta.moduleFormat);
        expect(token, `${dir}: ${call.function}`).toBeDefined();
        const declared = Object.keys(schema.functions[token!].inputs.properties);
        for (const arg of Object.keys(call.arguments ?? {}))
          expect(declared, `${dir} ${call.function}(${arg})`).toContain(arg);
      }
    });
  }

  it("lists only data sources the stand-in answers, and every object type it references", async () => {
    for (const token of Object.keys(FUNCTIONS)) {
      await expect(standInProvider.invoke!(token, { mostRecent: true })).resolves.toHaveProperty("outputs");
    }
    const refs = JSON.stringify(schema).match(/#\/types\/[^"]+/g) ?? [];
    for (const ref of refs) expect(Object.keys(OBJECT_TYPES)).toContain(ref.slice("#/types/".length));
    expect(Object.keys(schema.resources).sort()).toEqual(Object.keys(RESOURCES).sort());
  });

  it("describes what the stand-in's data sources return, so YAML programs can read it", async () => {
    const images = (await standInProvider.invoke!("alicloud:ecs/getImages:getImages", { owners: "system" }))
      .outputs as { images: Record<string, unknown>[] };
    const declared = Object.keys(schema.types["alicloud:ecs/getImagesImage:getImagesImage"].properties);
    expect(Object.keys(images.images[0]).sort()).toEqual(declared.sort());
    const zones = (await standInProvider.invoke!("alicloud:index/getZones:getZones", {})).outputs as {
      zones: Record<string, unknown>[];
    };
    expect(Object.keys(zones.zones[0]).sort()).toEqual(
      Object.keys(schema.types["alicloud:index/getZonesZone:getZonesZone"].properties).sort(),
    );
  });
});
