/** An exemption from the pack config: silences one resource (or a glob of them) until a date, for a reason. */
export interface Exemption {
  readonly resource: string;
  readonly reason: string;
  /** `YYYY-MM-DD`; the exemption holds through that day (UTC) and lapses the day after. */
  readonly expires: string;
}

export type ExemptionStatus =
  | { readonly state: "active"; readonly exemption: Exemption }
  | { readonly state: "expired"; readonly exemption: Exemption }
  /** Matches, but cannot be honoured (an impossible date, an empty reason): the violation stands. */
  | { readonly state: "invalid"; readonly exemption: Exemption; readonly problem: string };

interface CompiledExemption {
  readonly exemption: Exemption;
  readonly matcher: RegExp;
  readonly problem?: string;
}

/** Compiled exemptions of one policy run: match by URN or logical name, `*` and `?` as globs. */
export class ExemptionList {
  private readonly compiled: readonly CompiledExemption[];

  constructor(exemptions: readonly Exemption[], private readonly today: string) {
    this.compiled = exemptions.map((exemption) => ({
      exemption,
      matcher: globToRegExp(exemption.resource),
      problem: problemOf(exemption),
    }));
  }

  /** The status of the first exemption matching the resource, active ones first; undefined when none matches. */
  statusFor(urn: string, name: string): ExemptionStatus | undefined {
    let fallback: ExemptionStatus | undefined;
    for (const { exemption, matcher, problem } of this.compiled) {
      if (!matcher.test(urn) && !matcher.test(name)) continue;
      if (problem) fallback ??= { state: "invalid", exemption, problem };
      else if (exemption.expires < this.today) fallback ??= { state: "expired", exemption };
      else return { state: "active", exemption };
    }
    return fallback;
  }
}

export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const char of glob) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

function problemOf(exemption: Exemption): string | undefined {
  if (typeof exemption.reason !== "string" || exemption.reason.trim().length === 0) return "it has no reason";
  if (!isCalendarDate(exemption.expires)) return `its expiry '${String(exemption.expires)}' is not a calendar date (YYYY-MM-DD)`;
  return undefined;
}

export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
