import { Props, readProperty } from "../runtime/propertyReader";

/** One value found at an image property path, with the concrete path it was found at (`queues[0].computeNodes[1].imageId`). */
export type PathRead =
  | { readonly state: "known"; readonly value: string; readonly path: string }
  | { readonly state: "unknown"; readonly error: Error; readonly path: string };

interface Segment {
  readonly key: string;
  readonly each: boolean;
}

const parsed = new Map<string, readonly Segment[]>();

function segmentsOf(path: string): readonly Segment[] {
  let segments = parsed.get(path);
  if (!segments) {
    segments = path
      .split(".")
      .map((part) => (part.endsWith("[]") ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
    parsed.set(path, segments);
  }
  return segments;
}

/** The top-level property of a path (`queues` for `queues[].computeNodes[].imageId`): what property dependencies key on. */
export function topProperty(path: string): string {
  return segmentsOf(path)[0].key;
}

/**
 * Every string at a property path of the launch-surface table (dots into objects, `[]` into every element of a
 * list). An unknown value anywhere along the path is one unknown read, named by the path down to it; absent values
 * and values of other types yield nothing. Reads go through the property reader, so nested values are read the way
 * the SDK hands them out.
 */
export function readPath(props: Props, path: string): PathRead[] {
  const found: PathRead[] = [];
  walk(props, segmentsOf(path), 0, "", found);
  return found;
}

function walk(props: Props, segments: readonly Segment[], index: number, prefix: string, found: PathRead[]): void {
  const { key, each } = segments[index];
  const here = prefix ? `${prefix}.${key}` : key;
  const read = readProperty(props, key);
  if (read.state === "absent") return;
  if (read.state === "unknown") {
    found.push({
      state: "unknown",
      get error() {
        return read.error;
      },
      path: here,
    });
    return;
  }
  const last = index === segments.length - 1;
  if (each) {
    if (!Array.isArray(read.value)) return;
    const list = read.value as unknown[] as unknown as Props;
    const length = (read.value as unknown[]).length;
    for (let i = 0; i < length; i++) {
      const element = readProperty(list, String(i));
      const at = `${here}[${i}]`;
      if (element.state === "unknown")
        found.push({
          state: "unknown",
          get error() {
            return element.error;
          },
          path: at,
        });
      else if (element.state === "known") visit(element.value, segments, index, last, at, found);
    }
  } else {
    visit(read.value, segments, index, last, here, found);
  }
}

function visit(
  value: unknown,
  segments: readonly Segment[],
  index: number,
  last: boolean,
  at: string,
  found: PathRead[],
): void {
  if (last) {
    if (typeof value === "string" && value.length > 0) found.push({ state: "known", value, path: at });
  } else if (typeof value === "object" && value !== null) {
    walk(value as Props, segments, index + 1, at, found);
  }
}
