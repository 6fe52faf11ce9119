import * as policySdk from "@pulumi/policy";

/**
 * The SDK wraps every resource's props in a proxy that throws `UnknownValueError` when a value is unknown during
 * preview. The class is exported at run time, but the 1.21 typings strip it (`proxy.d.ts` is `export {}`), hence
 * the typed view below.
 */
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

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
 * Reads one property, turning the proxy's `UnknownValueError` into `{state: "unknown"}` so one unknown value never
 * aborts the analysis of the rest of the stack. Any other error propagates.
 */
export function readProperty(props: Props, key: string): PropertyRead<unknown> {
  try {
    const value = props[key];
    return value === undefined || value === null ? ABSENT : { state: "known", value };
  } catch (error) {
    if (isUnknownValueError(error)) return { state: "unknown", error };
    throw error;
  }
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
    if (read.state !== "absent") return { ...read, key };
  }
  return ABSENT;
}

/** The known strings of an array property, and whether any element (or the array itself) is unknown. */
export function readStringList(props: Props, key: string): { readonly known: string[]; readonly unknown: Error | undefined } {
  const read = readProperty(props, key);
  if (read.state === "unknown") return { known: [], unknown: read.error };
  if (read.state === "absent" || !Array.isArray(read.value)) return { known: [], unknown: undefined };
  const list = read.value as unknown[];
  const known: string[] = [];
  let unknown: Error | undefined;
  // Index by index: array helpers on the proxy (filter, map) throw at the first unknown element.
  const length = list.length;
  for (let index = 0; index < length; index++) {
    try {
      const element = list[index];
      if (typeof element === "string" && element.length > 0) known.push(element);
    } catch (error) {
      if (!isUnknownValueError(error)) throw error;
      unknown ??= error;
    }
  }
  return { known, unknown };
}
