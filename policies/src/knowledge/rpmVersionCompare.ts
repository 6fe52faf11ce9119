/**
 * RPM's version comparison (`rpmvercmp` from rpm's `lib/rpmvercmp.c`), used for both the version and the
 * release part of a kernel package: not string order, not semver.
 *
 * Rules, as rpm implements them:
 * - the strings are split into runs of digits and runs of ASCII letters; every other character is a separator;
 * - `~` sorts before everything, even the end of the string (`1.0~rc1` < `1.0`);
 * - `^` sorts after the end of the string but before any other segment (`1.0` < `1.0^git1` < `1.0.1`);
 * - a numeric run beats an alphabetic run; numeric runs compare as integers (leading zeros ignored);
 *   alphabetic runs compare bytewise;
 * - when one string runs out of segments, the one with segments left is newer.
 *
 * Returns -1, 0 or 1.
 */
export function rpmVersionCompare(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== "~" && a[i] !== "^") i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== "~" && b[j] !== "^") j++;

    // Tilde: sorts before anything, including the end of the string.
    if (a[i] === "~" || b[j] === "~") {
      if (a[i] !== "~") return 1;
      if (b[j] !== "~") return -1;
      i++;
      j++;
      continue;
    }
    // Caret: sorts after the end of the string, before any other segment.
    if (a[i] === "^" || b[j] === "^") {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== "^") return 1;
      if (b[j] !== "^") return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a[i]);
    const segA = takeRun(a, i, numeric);
    const segB = takeRun(b, j, isDigit(b[j]) ? true : false);
    const bNumeric = isDigit(b[j]);
    i += segA.length;
    j += segB.length;

    // A numeric segment is newer than an alphabetic one.
    if (numeric !== bNumeric) return numeric ? 1 : -1;

    if (numeric) {
      const na = segA.replace(/^0+/, "");
      const nb = segB.replace(/^0+/, "");
      if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
      if (na !== nb) return na > nb ? 1 : -1;
    } else if (segA !== segB) {
      return segA > segB ? 1 : -1;
    }
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function takeRun(s: string, start: number, digits: boolean): string {
  let end = start;
  while (end < s.length && (digits ? isDigit(s[end]) : isAlpha(s[end]))) end++;
  return s.slice(start, end);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

function isAlnum(c: string | undefined): boolean {
  return isDigit(c) || isAlpha(c);
}
