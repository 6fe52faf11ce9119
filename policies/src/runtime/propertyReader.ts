import * as policySdk from "@pulumi/policy";
import * as sdkProxy from "@pulumi/policy/proxy";

/**
 * The SDK wraps every resource's props in a proxy that throws `UnknownValueError` when a value is unknown during
 * preview. The class is exported at run time, but the 1.21 typings strip it (`proxy.d.ts` is `export {}`), hence
 * the typed view below.
 */
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error })
  .UnknownValueError;

export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof UnknownValueError;
}

/** A property read from props that may be unknown during preview. */
export type PropertyRead<T> =
  | { readonly state: "known"; readonly value: T }
  | { readonly state: "absent" }
  | { readonly state: "unknown"; readonly error: Error };

export type Props = Record<string, unknown>;

const ABSENT: PropertyRead<never> = { state: "absent" };

/**
 * The engine's unknown sentinels (sdk/go/common/resource/plugin/rpc.go; the same strings the SDK's proxy checks).
 * Every unknown, whatever its type, arrives as one of these strings.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/**
 * The SDK's proxy answers two marker keys (`isSpecialProxy`, `getSpecialProxyTarget` in proxy.js, exported at run
 * time, stripped from the typings): the first with `true`, the second with the object it wraps. Reading the wrapped
 * object directly skips a proxy trap and a fresh nested proxy per read; unknown sentinels are recognised here
 * instead (below), exactly as the proxy recognises them. If a later SDK drops the markers, the reader falls back to
 * reading through the proxy (test/unit/runtime/propertyReader.spec.ts says which path the pinned SDK takes).
 */
const proxyMarkers = (() => {
  const markers = sdkProxy as unknown as { isSpecialProxy?: unknown; getSpecialProxyTarget?: unknown };
  return typeof markers.isSpecialProxy === "string" && typeof markers.getSpecialProxyTarget === "string"
    ? { isSpecialProxy: markers.isSpecialProxy, getSpecialProxyTarget: markers.getSpecialProxyTarget }
    : undefined;
})();

/**
 * The object an SDK proxy wraps, or undefined when `props` is not such a proxy (a plain object, another SDK's
 * proxy). Exported for the spec that pins which path the SDK in use takes.
 */
export function proxyTarget(props: object): Record<string, unknown> | undefined {
  if (!proxyMarkers) return undefined;
  const { isSpecialProxy, getSpecialProxyTarget } = proxyMarkers;
  const view = props as Record<string, unknown>;
  if (view[isSpecialProxy] !== true) return undefined;
  const target = view[getSpecialProxyTarget];
  return typeof target === "object" && target !== null ? (target as Record<string, unknown>) : undefined;
}

/**
 * An unknown read whose error is the SDK's own `UnknownValueError`, built on first use by reading the value through
 * the proxy (`index` for an element of a list). A class, so that an unknown read allocates one small object and no
 * closure: previews are full of them.
 */
class UnknownRead {
  readonly state = "unknown" as const;
  private built: Error | undefined;

  constructor(
    private readonly props: Props,
    private readonly key: string,
    private readonly index?: number,
  ) {}

  get error(): Error {
    if (!this.built) {
      try {
        const value = this.props[this.key];
        if (this.index !== undefined) void (value as unknown[])[this.index];
        this.built = new Error("value can't be known during preview");
      } catch (thrown) {
        if (!isUnknownValueError(thrown)) throw thrown;
        this.built = thrown;
      }
    }
    return this.built;
  }
}

/**
 * Reads one property. An unknown value becomes `{state: "unknown"}` (never a throw), so one unknown value never
 * aborts the analysis of the rest of the stack; the SDK's `UnknownValueError` (a stack trace to build) is only made
 * if someone asks for it — unknowns are expected at every preview, and building one per read was half of the
 * policy's time on large stacks. Primitive values are what the proxy would hand out; objects and arrays are handed
 * out through the proxy, as the SDK gives them.
 */
export function readProperty(props: Props, key: string): PropertyRead<unknown> {
  const target = proxyTarget(props);
  if (target) {
    const read = readPastProxy(props, target, key);
    return read.state === "known" && typeof read.value === "object" ? { state: "known", value: props[key] } : read;
  }
  const raw = rawOwnValue(props, key);
  if (raw.found && isUnknownSentinel(raw.value)) return new UnknownRead(props, key);
  try {
    const value = props[key];
    return value === undefined || value === null ? ABSENT : { state: "known", value };
  } catch (error) {
    if (isUnknownValueError(error)) return { state: "unknown", error };
    throw error;
  }
}

/** A property of the object the SDK's proxy wraps, as deserialised (objects not wrapped in a proxy). */
function readPastProxy(props: Props, target: Record<string, unknown>, key: string): PropertyRead<unknown> {
  const value = target[key];
  if (isUnknownSentinel(value)) return new UnknownRead(props, key);
  return value === undefined || value === null ? ABSENT : { state: "known", value };
}

/**
 * The raw value of an own property, looked at without the proxy's `get` trap (the SDK's proxy defines no
 * `getOwnPropertyDescriptor` trap, so this reads its target): the fallback when the proxy's target is not reachable.
 */
function rawOwnValue(props: object, key: string): { found: boolean; value?: unknown } {
  const descriptor = Object.getOwnPropertyDescriptor(props, key);
  return descriptor && "value" in descriptor ? { found: true, value: descriptor.value } : { found: false };
}

/**
 * A string property that is known now, or undefined (absent, unknown, empty, not a string). For indexes that only
 * use what is known (cloud IDs, template names) and so need no error for an unknown.
 */
export function knownString(props: Props, key: string): string | undefined {
  // Never through the proxy: it would throw for the unknown values this is meant to skip.
  const target = proxyTarget(props);
  const value = target ? target[key] : rawOwnValue(props, key).value;
  return typeof value === "string" && value.length > 0 && !isUnknownSentinel(value) ? value : undefined;
}

/** A string property; a value of another type counts as absent (it cannot be an image ID or a script). */
export function readString(props: Props, key: string): PropertyRead<string> {
  const read = readProperty(props, key);
  if (read.state !== "known") return read;
  return typeof read.value === "string" && read.value.length > 0 ? { state: "known", value: read.value } : ABSENT;
}

/** The first of several string properties that is present (known or unknown), e.g. `imageId` then `imageName`. */
export function readFirstString(props: Props, keys: readonly string[]): PropertyRead<string> & { key?: string } {
  for (const key of keys) {
    const read = readString(props, key);
    if (read.state === "known") return { state: "known", value: read.value, key };
    if (read.state === "unknown") return Object.assign(read, { key });
  }
  return ABSENT;
}

/**
 * The known strings of an array property, and the SDK's error for its first unknown element (or for the array
 * itself when the whole array is unknown), built only if someone asks for it.
 */
export function readStringList(props: Props, key: string): StringListRead {
  // Past the proxy when it can be reached: the list as deserialised, no nested proxy per element read.
  const target = proxyTarget(props);
  const read = target ? readPastProxy(props, target, key) : readProperty(props, key);
  if (read.state === "unknown") return new StringListRead(EMPTY, read);
  if (read.state === "absent" || !Array.isArray(read.value)) return NO_STRINGS;
  const list = read.value as unknown[];
  // Elements are looked at raw (array helpers on the proxy, such as filter or map, throw at the first unknown
  // element); an element's error is built through the proxy, only when asked for.
  const elements = target ? list : (proxyTarget(list) as unknown[] | undefined);
  const known: string[] = [];
  let firstUnknown: UnknownRead | undefined;
  for (let index = 0; index < list.length; index++) {
    const element = elements ? elements[index] : rawOwnValue(list, String(index)).value;
    if (isUnknownSentinel(element)) firstUnknown ??= new UnknownRead(props, key, index);
    else if (typeof element === "string" && element.length > 0) known.push(element);
  }
  return new StringListRead(known, firstUnknown);
}

/** The known strings of a list, and the error for its first unknown element, built only when asked for. */
export class StringListRead {
  constructor(
    readonly known: readonly string[],
    private readonly firstUnknown?: { readonly error: Error },
  ) {}

  get unknown(): Error | undefined {
    return this.firstUnknown?.error;
  }
}

const EMPTY: readonly string[] = Object.freeze([]);
const NO_STRINGS = new StringListRead(EMPTY);
