// The engine's wire encoding of unknown and secret property values, as sent to analyzers
// (pkg/resource/plugin/analyzer_plugin.go marshals with KeepUnknowns + KeepSecrets;
// sentinels from sdk/go/common/resource/plugin/rpc.go and sdk/go/common/resource/sig).

/** Unknown-value sentinels, one per static type the engine knows about. */
export const UNKNOWN = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
} as const;

export type UnknownKind = keyof typeof UNKNOWN;

/** Signature key marking a special object (secret, asset, archive, resource reference, output value). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value of a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * An unknown value as the engine sends it during preview (an output of a resource that is not created yet).
 * Defaults to the string sentinel, which is what `KeepUnknowns` marshals for untyped computed values too.
 */
export function unknown(kind: UnknownKind = "string"): string {
  return UNKNOWN[kind];
}

/** A secret value as the engine sends it with `KeepSecrets: true`. */
export function secret<T>(value: T): { [SPECIAL_SIG_KEY]: typeof SECRET_SIG; value: T } {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}
