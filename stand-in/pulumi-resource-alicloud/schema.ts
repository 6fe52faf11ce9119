// STAND-IN schema: what the stand-in `alicloud` provider answers to GetSchema. YAML programs need it (pulumi-yaml
// type-checks every resource and `fn::invoke` against the provider's schema before anything runs); TypeScript
// programs do not ask for it.
//
// It is NOT the real provider's schema: it lists only the resources and data sources the stand-in answers, with the
// properties the bundled examples and the policy pack read, none required (the stand-in validates nothing). Tokens and
// property names follow the real provider (@pulumi/alicloud). To support another resource or data source, add a row
// to RESOURCES or FUNCTIONS; nested objects are declared once in OBJECT_TYPES.

/** A property type: a primitive, a list of one (`["string"]`), a map of one (`{ map: "string" }`) or an object type token. */
export type PropertyType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "any"
  | readonly [PropertyType]
  | { readonly map: PropertyType }
  | { readonly object: string };

export type Properties = Readonly<Record<string, PropertyType>>;

const s = "string";
const i = "integer";
const b = "boolean";
const strings: PropertyType = [s];

/** Object types used by the properties below, by token. */
export const OBJECT_TYPES: Readonly<Record<string, Properties>> = {
  "alicloud:ecs/EcsLaunchTemplateSystemDisk:EcsLaunchTemplateSystemDisk": {
    category: s,
    size: i,
    name: s,
    description: s,
    deleteWithInstance: b,
  },
  "alicloud:index/getZonesZone:getZonesZone": {
    id: s,
    localName: s,
    availableInstanceTypes: strings,
    availableDiskCategories: strings,
    availableResourceCreations: strings,
    multiZoneIds: strings,
    slbSlaveZoneIds: strings,
  },
  "alicloud:ecs/getImagesImage:getImagesImage": {
    id: s,
    imageId: s,
    name: s,
    description: s,
    osName: s,
    osNameEn: s,
    osType: s,
    platform: s,
    architecture: s,
    creationTime: s,
    imageOwnerAlias: s,
    imageVersion: s,
    isCopied: b,
    isSelfShared: s,
    isSubscribed: b,
    isSupportIoOptimized: b,
    productCode: s,
    progress: s,
    size: i,
    state: s,
    status: s,
    usage: s,
    diskDeviceMappings: ["any"],
    tags: { map: s },
  },
  "alicloud:ecs/getInstanceTypesInstanceType:getInstanceTypesInstanceType": {
    id: s,
    family: s,
    cpuCoreCount: i,
    memorySize: "number",
    availabilityZones: strings,
    eniAmount: i,
    price: s,
  },
};

/** Resources: token → input properties (the stand-in's outputs are its inputs, plus `id`). */
export const RESOURCES: Readonly<Record<string, Properties>> = {
  "alicloud:vpc/network:Network": { vpcName: s, cidrBlock: s, description: s },
  "alicloud:vpc/switch:Switch": { vpcId: s, cidrBlock: s, zoneId: s, vswitchName: s },
  "alicloud:ecs/securityGroup:SecurityGroup": { vpcId: s, securityGroupName: s, description: s },
  "alicloud:ecs/instance:Instance": {
    instanceName: s,
    hostName: s,
    imageId: s,
    instanceType: s,
    availabilityZone: s,
    vswitchId: s,
    securityGroups: strings,
    systemDiskCategory: s,
    systemDiskSize: i,
    internetMaxBandwidthOut: i,
    userData: s,
    tags: { map: s },
  },
  "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate": {
    launchTemplateName: s,
    imageId: s,
    instanceType: s,
    securityGroupId: s,
    vswitchId: s,
    userData: s,
    systemDisk: { object: "alicloud:ecs/EcsLaunchTemplateSystemDisk:EcsLaunchTemplateSystemDisk" },
  },
  "alicloud:ecs/launchTemplate:LaunchTemplate": {
    name: s,
    imageId: s,
    instanceType: s,
    securityGroupId: s,
    vswitchId: s,
    userData: s,
  },
  "alicloud:ess/scalingGroup:ScalingGroup": {
    scalingGroupName: s,
    minSize: i,
    maxSize: i,
    vswitchIds: strings,
    launchTemplateId: s,
    launchTemplateVersion: s,
  },
  "alicloud:ess/scalingConfiguration:ScalingConfiguration": {
    scalingGroupId: s,
    scalingConfigurationName: s,
    imageId: s,
    instanceType: s,
    securityGroupId: s,
    systemDiskCategory: s,
    userData: s,
    forceDelete: b,
    active: b,
    enable: b,
  },
  "alicloud:ecs/command:Command": {
    name: s,
    description: s,
    type: s,
    commandContent: s,
    timeout: i,
    workingDir: s,
    enableParameter: b,
  },
  "alicloud:ecs/ecsInvocation:EcsInvocation": {
    commandId: s,
    instanceIds: strings,
    repeatMode: s,
    timed: b,
    frequency: s,
    username: s,
    parameters: { map: "any" },
  },
  "alicloud:ecs/image:Image": { imageName: s, instanceId: s, snapshotId: s, description: s },
};

export interface FunctionRow {
  readonly inputs: Properties;
  /** Besides the inputs, which the stand-in echoes back like the real data sources. */
  readonly outputs: Properties;
}

/** Data sources: token → inputs and outputs (every result also has `id`). */
export const FUNCTIONS: Readonly<Record<string, FunctionRow>> = {
  "alicloud:index/getZones:getZones": {
    inputs: { availableResourceCreation: s, availableInstanceType: s, availableDiskCategory: s },
    outputs: { ids: strings, zones: [{ object: "alicloud:index/getZonesZone:getZonesZone" }] },
  },
  "alicloud:ecs/getImages:getImages": {
    inputs: { nameRegex: s, owners: s, imageId: s, imageName: s, osType: s, architecture: s, mostRecent: b },
    outputs: { ids: strings, images: [{ object: "alicloud:ecs/getImagesImage:getImagesImage" }] },
  },
  "alicloud:ecs/getInstanceTypes:getInstanceTypes": {
    inputs: { availabilityZone: s, cpuCoreCount: i, memorySize: "number", instanceTypeFamily: s },
    outputs: {
      ids: strings,
      instanceTypes: [{ object: "alicloud:ecs/getInstanceTypesInstanceType:getInstanceTypesInstanceType" }],
    },
  },
};

type JsonType = Record<string, unknown>;

function isList(t: PropertyType): t is readonly [PropertyType] {
  return Array.isArray(t);
}

function typeSpec(t: PropertyType): JsonType {
  if (typeof t === "string") return t === "any" ? { $ref: "pulumi.json#/Any" } : { type: t };
  if (isList(t)) return { type: "array", items: typeSpec(t[0]) };
  if ("map" in t) return { type: "object", additionalProperties: typeSpec(t.map) };
  if (!(t.object in OBJECT_TYPES))
    throw new Error(`stand-in schema: object type ${t.object} is not declared in OBJECT_TYPES`);
  return { $ref: `#/types/${t.object}` };
}

function propertySpecs(props: Properties): Record<string, JsonType> {
  return Object.fromEntries(Object.entries(props).map(([name, t]) => [name, typeSpec(t)]));
}

/** The package schema (Pulumi schema JSON) of the stand-in, as GetSchema returns it. */
export function standInSchema(version: string): Record<string, unknown> {
  return {
    name: "alicloud",
    displayName: "Alibaba Cloud (STAND-IN)",
    description:
      "STAND-IN alicloud provider of alinux-guard's tests and demo: not the real provider, never calls Alibaba Cloud.",
    version,
    // As the real alicloud schema: `alicloud:ecs:Instance` in a YAML program means `alicloud:ecs/instance:Instance`.
    meta: { moduleFormat: "(.*)(?:/[^/]*)" },
    config: {},
    provider: { type: "object" },
    types: Object.fromEntries(
      Object.entries(OBJECT_TYPES).map(([token, props]) => [
        token,
        { type: "object", properties: propertySpecs(props) },
      ]),
    ),
    resources: Object.fromEntries(
      Object.entries(RESOURCES).map(([token, props]) => {
        const specs = propertySpecs(props);
        return [token, { inputProperties: specs, properties: specs }];
      }),
    ),
    functions: Object.fromEntries(
      Object.entries(FUNCTIONS).map(([token, row]) => [
        token,
        {
          inputs: { type: "object", properties: propertySpecs(row.inputs) },
          outputs: {
            type: "object",
            properties: { ...propertySpecs(row.inputs), ...propertySpecs(row.outputs), id: { type: "string" } },
          },
        },
      ]),
    ),
  };
}
