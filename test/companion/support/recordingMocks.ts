/**
 * Pulumi mocks that record every registered resource the way the engine sees it: type, name, URN, the
 * inputs (with the mock ID merged in as `id`, so references by ID resolve after deploy), the resource's
 * `dependsOn` URNs, its property dependencies and its custom timeouts. Nothing talks to Alibaba Cloud.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  id: string;
  parent: string;
  custom: boolean;
  /** The inputs as the engine received them, plus `id` (the mock's ID) for custom resources. */
  props: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  customTimeouts?: { create: string; update: string; delete: string };
}

export interface MockRun {
  resources: RecordedResource[];
  calls: { token: string; inputs: Record<string, unknown> }[];
}

interface PropertyDependenciesPb {
  getUrnsList(): string[];
}
interface RegisterRequestPb {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: PropertyDependenciesPb, key: string) => void): void };
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface RegisterResponsePb {
  getUrn(): string;
  getId(): string;
}
type Callback = (err: unknown, response?: RegisterResponsePb) => void;
interface MonitorWithRegister {
  registerResource(req: RegisterRequestPb, callback: Callback): Promise<void>;
}

const ID_PREFIX: Record<string, string> = {
  "alicloud:ecs/instance:Instance": "i-",
  "alicloud:ecs/command:Command": "c-",
  "alicloud:ecs/ecsInvocation:EcsInvocation": "t-",
  "alicloud:vpc/network:Network": "vpc-",
  "alicloud:vpc/switch:Switch": "vsw-",
  "alicloud:ecs/securityGroup:SecurityGroup": "sg-",
};

/** A deterministic, ECS-looking ID for a mock resource. */
export function mockId(type: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `${ID_PREFIX[type] ?? "id-"}${slug}`;
}

export interface MockOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
  /** Config values as `pulumi config` would hold them (`<project>:<key>` → string). */
  config?: Record<string, string>;
  /** Invocation status the mock reports. Default `Success`. */
  invocationStatus?: string;
}

export const PROJECT = "alinux-guard-companion";

/**
 * Installs recording mocks. Returns the live record; call {@link settle} with the program's outputs before
 * reading it, so that every registration has completed.
 */
export async function installRecordingMocks(options: MockOptions = {}): Promise<MockRun> {
  const run: MockRun = { resources: [], calls: [] };
  const inputsByKey = new Map<string, { inputs: Record<string, unknown>; id: string }>();
  const project = options.project ?? PROJECT;
  pulumi.runtime.setAllConfig(options.config ?? {}, []);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = mockId(args.type, args.name);
        inputsByKey.set(`${args.type}::${args.name}`, { inputs: args.inputs, id });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "alicloud:ecs/ecsInvocation:EcsInvocation")
          state.status = options.invocationStatus ?? "Success";
        return { id, state };
      },
      call(args) {
        run.calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === "alicloud:index/getZones:getZones") {
          return { ids: ["cn-hangzhou-i", "cn-hangzhou-j"], zones: [{ id: "cn-hangzhou-i" }, { id: "cn-hangzhou-j" }] };
        }
        return {};
      },
    },
    project,
    options.stack ?? "test",
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const key = `${req.getType()}::${req.getName()}`;
        const seen = inputsByKey.get(key);
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, prop) => {
          propertyDependencies[prop] = value.getUrnsList();
        });
        const timeouts = req.getCustomtimeouts();
        run.resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: response.getUrn(),
          id: response.getId(),
          parent: req.getParent(),
          custom: req.getCustom(),
          props: req.getCustom() ? { ...(seen?.inputs ?? {}), id: response.getId() } : { ...(seen?.inputs ?? {}) },
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          customTimeouts: timeouts
            ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() }
            : undefined,
        });
      }
      callback(err, response);
    });
  return run;
}

/** Resolves when every output has a value (and therefore every resource behind it is registered). */
export function settle(...outputs: pulumi.Input<unknown>[]): Promise<unknown[]> {
  return new Promise((resolve) => {
    pulumi.all(outputs).apply((values) => resolve(values));
  });
}

export function byType(run: MockRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export const COMMAND = "alicloud:ecs/command:Command";
export const INVOCATION = "alicloud:ecs/ecsInvocation:EcsInvocation";
export const INSTANCE = "alicloud:ecs/instance:Instance";
