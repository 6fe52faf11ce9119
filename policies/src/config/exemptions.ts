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
  readonly matcher: Glob;
  readonly problem?: string;
}

/** Compiled exemptions of one policy run: match by URN or logical name, `*` and `?` as globs. */
export class ExemptionList {
  private readonly compiled: readonly CompiledExemption[];

  constructor(
    exemptions: readonly Exemption[],
    private readonly today: string,
  ) {
    this.compiled = exemptions.map((exemption) => ({
      exemption,
      matcher: compileGlob(exemption.resource),
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

/** A compiled glob: `*` any run of characters (`/` and `:` included), `?` exactly one, everything else literal. */
export interface Glob {
  test(text: string): boolean;
}

/**
 * Compiles a glob to a matcher that runs without backtracking, whatever the pattern: the pattern is cut at its `*`s
 * into literal segments (where `?` matches one character); the first segment must start the text, the last must end
 * it, and each one between is found at its leftmost place after the previous one. Leftmost is always right for `*`
 * globs (a later place only leaves less room for the rest), so no place is ever retried: at most one scan of the
 * text per segment, O(text × pattern) at worst, against the exponential time a regular expression with many `.*`
 * can take on a text that almost matches.
 */
export function compileGlob(glob: string): Glob {
  const segments = glob.split("*");
  if (segments.length === 1) return { test: (text) => text.length === glob.length && matchesAt(text, 0, glob) };
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((segment) => segment.length > 0);
  const fixedLength = first.length + last.length;
  return {
    test(text) {
      if (text.length < fixedLength || !matchesAt(text, 0, first) || !matchesAt(text, text.length - last.length, last))
        return false;
      let from = first.length;
      const until = text.length - last.length;
      for (const segment of middle) {
        const at = findFrom(text, from, until, segment);
        if (at < 0) return false;
        from = at + segment.length;
      }
      return true;
    },
  };
}

/** Whether `segment` (`?` = any one character) matches `text` at `at`. */
function matchesAt(text: string, at: number, segment: string): boolean {
  if (at < 0 || at + segment.length > text.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charCodeAt(i);
    if (char !== QUESTION && char !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place in `text[from, until)` where `segment` matches, or -1. */
function findFrom(text: string, from: number, until: number, segment: string): number {
  if (!segment.includes("?")) {
    const at = text.indexOf(segment, from);
    return at >= 0 && at + segment.length <= until ? at : -1;
  }
  for (let at = from; at + segment.length <= until; at++) if (matchesAt(text, at, segment)) return at;
  return -1;
}

const QUESTION = "?".charCodeAt(0);

function problemOf(exemption: Exemption): string | undefined {
  if (typeof exemption.reason !== "string" || exemption.reason.trim().length === 0) return "it has no reason";
  if (!isCalendarDate(exemption.expires))
    return `its expiry '${String(exemption.expires)}' is not a calendar date (YYYY-MM-DD)`;
  return undefined;
}

export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
