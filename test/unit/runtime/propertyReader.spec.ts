// Props here are what a policy really receives (test/support/policyRuntime.ts engineProps): a protobuf Struct
// round trip, the SDK's deserialisation (secrets in plaintext, unknowns as sentinels) and its unknown-checking proxy.
import { describe, expect, it } from "vitest";
import {
  isUnknownValueError,
  knownString,
  proxyTarget,
  readFirstString,
  readProperty,
  readString,
  readStringList,
} from "../../../policies/src/runtime/propertyReader";
import { engineProps, secret, UNKNOWN, UNKNOWN_ARRAY } from "../../support/policyRuntime";

const IMAGE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";

describe("readProperty", () => {
  it("reads a known value", () => {
    const props = engineProps({ imageId: IMAGE, internetMaxBandwidthOut: 10, deletionProtection: false });
    expect(readProperty(props, "imageId")).toEqual({ state: "known", value: IMAGE });
    expect(readProperty(props, "internetMaxBandwidthOut")).toEqual({ state: "known", value: 10 });
    expect(readProperty(props, "deletionProtection")).toEqual({ state: "known", value: false });
  });

  it("reads a known object whose fields stay readable", () => {
    const read = readProperty(engineProps({ tags: { env: "prod" } }), "tags");
    expect(read.state).toBe("known");
    if (read.state === "known") expect((read.value as Record<string, unknown>).env).toBe("prod");
  });

  it("reports a missing or null property as absent", () => {
    const props = engineProps({ imageId: IMAGE, userData: null });
    expect(readProperty(props, "launchTemplateId")).toEqual({ state: "absent" });
    expect(readProperty(props, "userData")).toEqual({ state: "absent" });
  });

  it("reports an unknown value (preview) as unknown, with the SDK's UnknownValueError naming the property", () => {
    const read = readProperty(engineProps({ imageId: UNKNOWN }), "imageId");
    expect(read.state).toBe("unknown");
    if (read.state !== "unknown") return;
    expect(isUnknownValueError(read.error)).toBe(true);
    expect(read.error.message).toContain(".imageId");
  });

  it("the proxy really throws for the unknown value (so the reader is what keeps the policy alive)", () => {
    const props = engineProps({ imageId: UNKNOWN });
    expect(() => props.imageId).toThrow();
  });

  it("hands secrets over in plaintext", () => {
    expect(readProperty(engineProps({ userData: secret("#!/bin/sh\necho hi") }), "userData")).toEqual({
      state: "known",
      value: "#!/bin/sh\necho hi",
    });
  });

  it("lets errors other than unknown values propagate", () => {
    const props = {
      get imageId(): string {
        throw new TypeError("boom");
      },
    };
    expect(() => readProperty(props, "imageId")).toThrowError("boom");
  });
});

describe("readString", () => {
  it("reads a known non-empty string", () => {
    expect(readString(engineProps({ imageId: IMAGE }), "imageId")).toEqual({ state: "known", value: IMAGE });
  });

  it("counts an empty string or a non-string value as absent", () => {
    const props = engineProps({ a: "", b: 7, c: true, d: ["x"], e: { x: 1 } });
    for (const key of ["a", "b", "c", "d", "e", "missing"])
      expect(readString(props, key), key).toEqual({ state: "absent" });
  });

  it("passes an unknown through as unknown", () => {
    expect(readString(engineProps({ imageId: UNKNOWN }), "imageId").state).toBe("unknown");
  });

  it("reads a secret string in plaintext", () => {
    expect(readString(engineProps({ imageId: secret(IMAGE) }), "imageId")).toEqual({ state: "known", value: IMAGE });
  });
});

describe("readFirstString", () => {
  const keys = ["imageId", "imageName"] as const;

  it("takes the first present key and says which", () => {
    expect(readFirstString(engineProps({ imageId: IMAGE, imageName: "other" }), keys)).toEqual({
      state: "known",
      value: IMAGE,
      key: "imageId",
    });
    expect(readFirstString(engineProps({ imageName: IMAGE }), keys)).toEqual({
      state: "known",
      value: IMAGE,
      key: "imageName",
    });
  });

  it("skips an empty first key", () => {
    expect(readFirstString(engineProps({ imageId: "", imageName: IMAGE }), keys)).toMatchObject({
      state: "known",
      value: IMAGE,
      key: "imageName",
    });
  });

  it("stops at an unknown first key instead of reading a later one (the unknown one would win at update time)", () => {
    const read = readFirstString(engineProps({ imageId: UNKNOWN, imageName: IMAGE }), keys);
    expect(read).toMatchObject({ state: "unknown", key: "imageId" });
  });

  it("is absent when no key is present", () => {
    expect(readFirstString(engineProps({ instanceType: "ecs.g6.large" }), keys)).toEqual({ state: "absent" });
    expect(readFirstString(engineProps({}), [])).toEqual({ state: "absent" });
  });
});

describe("readStringList", () => {
  it("reads a known list of strings", () => {
    expect(readStringList(engineProps({ ids: ["a", "b"] }), "ids")).toEqual({ known: ["a", "b"], unknown: undefined });
  });

  it("keeps the known elements of a list with unknown elements and reports the unknown", () => {
    const read = readStringList(engineProps({ ids: ["a", UNKNOWN, "b", UNKNOWN] }), "ids");
    expect(read.known).toEqual(["a", "b"]);
    expect(read.unknown).toBeDefined();
    expect(isUnknownValueError(read.unknown)).toBe(true);
    expect(read.unknown?.message).toContain(".ids.1");
  });

  it.each([
    ["string sentinel", UNKNOWN],
    ["array sentinel", UNKNOWN_ARRAY],
  ])("reports a wholly unknown list (%s) as unknown", (_what, sentinel) => {
    const read = readStringList(engineProps({ ids: sentinel }), "ids");
    expect(read.known).toEqual([]);
    expect(isUnknownValueError(read.unknown)).toBe(true);
  });

  it("is empty and known when the list is absent, null or not a list", () => {
    for (const props of [{}, { ids: null }, { ids: "a" }, { ids: { a: "b" } }]) {
      expect(readStringList(engineProps(props), "ids")).toEqual({ known: [], unknown: undefined });
    }
  });

  it("skips elements that are not non-empty strings", () => {
    expect(readStringList(engineProps({ ids: ["a", "", 3, null, { x: 1 }, ["b"], "c"] }), "ids")).toEqual({
      known: ["a", "c"],
      unknown: undefined,
    });
  });

  it("reads secret elements and secret lists in plaintext", () => {
    expect(readStringList(engineProps({ ids: ["a", secret("b")] }), "ids").known).toEqual(["a", "b"]);
    expect(readStringList(engineProps({ ids: secret(["a", "b"]) }), "ids").known).toEqual(["a", "b"]);
  });
});

describe("the path past the SDK's proxy", () => {
  it("reaches the object the pinned SDK's proxy wraps, so reads skip its trap", () => {
    const props = engineProps({ imageId: IMAGE });
    const target = proxyTarget(props);
    expect(target).toBeDefined();
    expect(target).not.toBe(props);
    expect(target?.imageId).toBe(IMAGE);
  });

  it("takes no shortcut for plain objects or objects that merely carry the marker names", () => {
    expect(proxyTarget({ imageId: IMAGE })).toBeUndefined();
    expect(proxyTarget({ __isSpecialProxy: "yes", __getSpecialProxyTarget: { imageId: "x" } })).toBeUndefined();
  });

  it("reads plain objects (no SDK proxy) the same way", () => {
    const props = { imageId: IMAGE, userData: null, other: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
    expect(readString(props, "imageId")).toEqual({ state: "known", value: IMAGE });
    expect(readProperty(props, "userData")).toEqual({ state: "absent" });
    expect(readProperty(props, "other").state).toBe("unknown");
  });

  it("still hands objects and arrays out through the proxy, whose nested unknowns throw", () => {
    const read = readProperty(engineProps({ nested: { imageId: UNKNOWN } }), "nested");
    expect(read.state).toBe("known");
    if (read.state === "known") expect(() => (read.value as Record<string, unknown>).imageId).toThrow();
  });
});

describe("knownString", () => {
  it("is the value only when it is a known non-empty string", () => {
    const props = engineProps({ id: "i-1", empty: "", n: 3, u: UNKNOWN, s: secret("i-2"), list: ["i-3"] });
    expect(knownString(props, "id")).toBe("i-1");
    expect(knownString(props, "s")).toBe("i-2");
    for (const key of ["empty", "n", "u", "list", "missing"]) expect(knownString(props, key), key).toBeUndefined();
  });

  it("never throws for an unknown value", () => {
    expect(() => knownString(engineProps({ id: UNKNOWN }), "id")).not.toThrow();
    expect(knownString({ id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, "id")).toBeUndefined();
  });
});

describe("a proxy without the SDK's markers (the fallback path)", () => {
  // The SDK's proxy (it throws the SDK's UnknownValueError for an unknown value) with its marker keys hidden, as a
  // later SDK without them would be.
  const MARKERS = new Set<PropertyKey>(["__isSpecialProxy", "__getSpecialProxyTarget"]);
  const hideMarkers = <T extends object>(proxied: T): T =>
    new Proxy(proxied, {
      get: (t, k) => {
        if (MARKERS.has(k)) return undefined;
        const value: unknown = Reflect.get(t, k);
        return typeof value === "object" && value !== null ? hideMarkers(value) : value;
      },
    });
  const throwingProxy = (raw: Record<string, unknown>) => hideMarkers(engineProps(raw));

  it("is not mistaken for the SDK's proxy", () => {
    expect(proxyTarget(throwingProxy({ id: "i-1" }))).toBeUndefined();
  });

  it("knownString skips an unknown without reading it through the proxy", () => {
    const props = throwingProxy({ id: UNKNOWN, name: "lt-1" });
    expect(() => props.id).toThrow();
    expect(knownString(props, "id")).toBeUndefined();
    expect(knownString(props, "name")).toBe("lt-1");
  });

  it("readStringList keeps the known elements and notes the unknown one", () => {
    const read = readStringList(throwingProxy({ ids: ["a", UNKNOWN, "b"] }), "ids");
    expect(read.known).toEqual(["a", "b"]);
    expect(isUnknownValueError(read.unknown)).toBe(true);
    expect(read.unknown?.message).toContain(".ids.1");
  });
});

describe("isUnknownValueError", () => {
  it("is false for other errors and non-errors", () => {
    expect(isUnknownValueError(new Error("x"))).toBe(false);
    expect(isUnknownValueError("x")).toBe(false);
    expect(isUnknownValueError(undefined)).toBe(false);
  });
});
