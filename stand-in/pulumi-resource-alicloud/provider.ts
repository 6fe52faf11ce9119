// STAND-IN for the `alicloud` resource provider plugin (pulumi-resource-alicloud), for the end-to-end tests and
// `npm run demo` only. It is NOT the real provider and never talks to Alibaba Cloud:
//   * check: passes the inputs through unchanged (the real provider also validates and fills defaults);
//   * diff: reports a change when the inputs differ, never a replacement;
//   * create/update/read/delete: record the inputs as outputs with a made-up id ("<prefix>-standin-<hash>"),
//     so `pulumi up` can build a local stack whose export the audit example uses;
//   * invoke: answers getImages, getZones and getInstanceTypes from the fixed data in ./fixed-data.ts and
//     refuses every other data source with an error that names the stand-in;
//   * getSchema: the stand-in's own schema (./schema.ts), which YAML programs need.
// The engine starts it through the `pulumi-resource-alicloud` shell wrapper next to this file (put that folder on
// PATH). Anything written to stdout before the port line breaks the plugin handshake: log with console.error.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { images, instanceTypes, zones, type StandInImage } from "./fixed-data";
import { standInSchema } from "./schema";

/** Reports the installed @pulumi/alicloud version, so the engine does not warn about a version mismatch. */
function alicloudSdkVersion(): string {
  try {
    const pkgPath = require.resolve("@pulumi/alicloud/package.json", { paths: [__dirname] });
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

type Props = Record<string, unknown>;

const idPrefixes: Record<string, string> = {
  "alicloud:ecs/instance:Instance": "i",
  "alicloud:ecs/launchTemplate:LaunchTemplate": "lt",
  "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate": "lt",
  "alicloud:ess/scalingGroup:ScalingGroup": "asg",
  "alicloud:ess/scalingConfiguration:ScalingConfiguration": "asc",
  "alicloud:ecs/command:Command": "c",
  "alicloud:ecs/ecsInvocation:EcsInvocation": "t",
  "alicloud:ecs/image:Image": "m",
  "alicloud:ecs/imageCopy:ImageCopy": "m",
  "alicloud:ecs/securityGroup:SecurityGroup": "sg",
  "alicloud:vpc/network:Network": "vpc",
  "alicloud:vpc/switch:Switch": "vsw",
};

/** urn:pulumi:<stack>::<project>::<type>::<name> → the resource type token. */
function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  const segments = qualified.split("$");
  return segments[segments.length - 1] ?? qualified;
}

function standInId(urn: string): string {
  const prefix = idPrefixes[typeOfUrn(urn)] ?? "standin";
  return `${prefix}-standin-${createHash("sha256").update(urn).digest("hex").slice(0, 12)}`;
}

function asString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function imageOutput(img: StandInImage): Props {
  return {
    id: img.imageId,
    imageId: img.imageId,
    name: img.name,
    description: img.description,
    osName: img.osName,
    osNameEn: img.osNameEn,
    osType: img.osType,
    platform: img.platform,
    architecture: img.architecture,
    creationTime: img.creationTime,
    imageOwnerAlias: img.imageOwnerAlias,
    imageVersion: "",
    isCopied: false,
    isSelfShared: "",
    isSubscribed: false,
    isSupportIoOptimized: true,
    productCode: "",
    progress: "100%",
    size: img.size,
    state: "Available",
    status: "Available",
    usage: "instance",
    diskDeviceMappings: [],
    tags: {},
  };
}

/** A local imitation of DescribeImages filtering: nameRegex, owners, imageId, imageName, osType, architecture. */
function getImages(args: Props): Props {
  let found = images.slice();
  const nameRegex = asString(args["nameRegex"]);
  if (nameRegex !== undefined) {
    const re = new RegExp(nameRegex);
    found = found.filter((i) => re.test(i.name));
  }
  const owners = asString(args["owners"]);
  if (owners !== undefined) {
    const wanted = owners.split(",").map((o) => o.trim());
    found = found.filter((i) => wanted.includes(i.imageOwnerAlias));
  }
  const imageId = asString(args["imageId"]);
  if (imageId !== undefined) found = found.filter((i) => i.imageId === imageId);
  const imageName = asString(args["imageName"]);
  if (imageName !== undefined) found = found.filter((i) => i.name === imageName);
  const osType = asString(args["osType"]);
  if (osType !== undefined) found = found.filter((i) => i.osType === osType);
  const architecture = asString(args["architecture"]);
  if (architecture !== undefined) found = found.filter((i) => i.architecture === architecture);
  found.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  if (args["mostRecent"] === true) found = found.slice(0, 1);
  if (found.length === 0) {
    // The real provider fails the same way when a filter matches nothing.
    throw new Error("STAND-IN alicloud provider: getImages: your query returned no results (fixed stand-in catalogue)");
  }
  const ids = found.map((i) => i.imageId);
  return {
    ...args,
    id: createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 10),
    ids,
    images: found.map(imageOutput),
  };
}

function getZones(args: Props): Props {
  const wantedType = asString(args["availableInstanceType"]);
  const found = zones.filter((z) => wantedType === undefined || z.availableInstanceTypes.includes(wantedType));
  const ids = found.map((z) => z.id);
  return {
    ...args,
    id: createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 10),
    ids,
    zones: found.map((z) => ({
      id: z.id,
      localName: z.localName,
      availableInstanceTypes: [...z.availableInstanceTypes],
      availableDiskCategories: [...z.availableDiskCategories],
      availableResourceCreations: ["Instance", "Disk", "VSwitch"],
      multiZoneIds: [],
      slbSlaveZoneIds: [],
    })),
  };
}

function getInstanceTypes(args: Props): Props {
  const zone = asString(args["availabilityZone"]);
  const cores = typeof args["cpuCoreCount"] === "number" ? args["cpuCoreCount"] : undefined;
  const memory = typeof args["memorySize"] === "number" ? args["memorySize"] : undefined;
  const family = asString(args["instanceTypeFamily"]);
  const found = instanceTypes.filter(
    (t) =>
      (cores === undefined || t.cpuCoreCount === cores) &&
      (memory === undefined || t.memorySize === memory) &&
      (family === undefined || t.family === family) &&
      (zone === undefined || zones.some((z) => z.id === zone && z.availableInstanceTypes.includes(t.id))),
  );
  const ids = found.map((t) => t.id);
  return {
    ...args,
    id: createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 10),
    ids,
    instanceTypes: found.map((t) => ({
      id: t.id,
      family: t.family,
      cpuCoreCount: t.cpuCoreCount,
      memorySize: t.memorySize,
      availabilityZones: zones.filter((z) => z.availableInstanceTypes.includes(t.id)).map((z) => z.id),
      eniAmount: 2,
      price: "",
    })),
  };
}

const invokes: Record<string, (args: Props) => Props> = {
  "alicloud:ecs/getImages:getImages": getImages,
  "alicloud:index/getZones:getZones": getZones,
  "alicloud:ecs/getInstanceTypes:getInstanceTypes": getInstanceTypes,
};

function sameInputs(olds: unknown, news: unknown): boolean {
  return JSON.stringify(olds) === JSON.stringify(news);
}

// The Provider interface is promise-returning; the stand-in answers at once. `async` keeps it so, and makes a throw
// (an unanswered data source) a rejection, as the provider server expects.
/* eslint-disable @typescript-eslint/require-await */
export const standInProvider: provider.Provider = {
  version: alicloudSdkVersion(),

  async getSchema(): Promise<string> {
    return JSON.stringify(standInSchema(alicloudSdkVersion()));
  },

  async check(_urn: pulumi.URN, _olds: unknown, news: unknown): Promise<provider.CheckResult> {
    return { inputs: news };
  },

  async diff(_id: pulumi.ID, _urn: pulumi.URN, olds: unknown, news: unknown): Promise<provider.DiffResult> {
    return { changes: !sameInputs(olds, news) };
  },

  async create(urn: pulumi.URN, inputs: unknown): Promise<provider.CreateResult> {
    return { id: standInId(urn), outs: inputs };
  },

  async read(id: pulumi.ID, _urn: pulumi.URN, props?: unknown): Promise<provider.ReadResult> {
    return { id, props: props ?? {} };
  },

  async update(_id: pulumi.ID, _urn: pulumi.URN, _olds: unknown, news: unknown): Promise<provider.UpdateResult> {
    return { outs: news };
  },

  async delete(): Promise<void> {
    // Nothing exists anywhere: nothing to delete.
  },

  async invoke(token: string, inputs: unknown): Promise<provider.InvokeResult> {
    const handler = invokes[token];
    if (handler === undefined) {
      throw new Error(
        `STAND-IN alicloud provider: data source ${token} is not answered by the local stand-in ` +
          `(it answers ${Object.keys(invokes).join(", ")}). Use the real provider for this program.`,
      );
    }
    return { outputs: handler((inputs ?? {}) as Props) };
  },
};
/* eslint-enable @typescript-eslint/require-await */

if (require.main === module) {
  provider.main(standInProvider, process.argv.slice(2)).catch((err: unknown) => {
    console.error(`STAND-IN alicloud provider failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
