// JUnit XML for GitLab (`artifacts:reports:junit`) and Jenkins (junit step).
//
// Built with xmlbuilder2 (maintained, spec-conformant escaping of text and attributes, and it replaces characters XML
// 1.0 cannot carry instead of writing a file no parser accepts) rather than string templates.
//
// Shape (the subset of the Ant JUnit schema both readers agree on):
//   <testsuites>                      totals
//     <testsuite name="<pack>">       one per policy pack
//       <testcase classname="<pack>.<policy>" name="<resource> (<type>)" file=… line=…>
//         <failure type="mandatory" message="…">…</failure>    a mandatory violation fails its test case
//         <system-out>advisory: …</system-out>                  an advisory is visible in the case's output, passing
//     <testsuite name="alinux-guard run">   one case for the run itself: an <error> when the engine reported errors
//                                           or the stream ended early, so a run whose policies never ran cannot pass.
// One test case per policy × resource that was checked: violations from policy events, passed checks from the
// engine's summary events (CLI v3.196.0+; older CLIs report only violations, which the run case's output says).
import { create } from "xmlbuilder2";
import type { PolicyReport, ReportViolation } from "./reportModel";

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly violations: ReportViolation[];
  file?: string;
  line?: number;
}

const caseName = (resourceName: string, resourceType: string) =>
  resourceName ? `${resourceName}${resourceType ? ` (${resourceType})` : ""}` : "stack";

export function junitReport(report: PolicyReport): string {
  const packs = new Map<string, Map<string, Case>>();
  const caseFor = (pack: string, policy: string, urn: string, name: string, type: string): Case => {
    let cases = packs.get(pack);
    if (!cases) packs.set(pack, (cases = new Map<string, Case>()));
    const key = `${policy}\u0000${urn}`;
    let c = cases.get(key);
    if (!c)
      cases.set(
        key,
        (c = { classname: `${pack || "unknown-pack"}.${policy}`, name: caseName(name, type), violations: [] }),
      );
    return c;
  };
  for (const v of report.violations) {
    const c = caseFor(v.policyPack, v.policy, v.resourceUrn, v.resourceName, v.resourceType);
    c.violations.push(v);
    if (v.location.declaration && c.file === undefined) {
      c.file = v.location.uri;
      c.line = v.location.line;
    }
  }
  const typeOf = new Map(report.violations.map((v) => [v.resourceUrn, v.resourceType]));
  for (const check of report.checks.items) {
    const urnName = check.resourceUrn.split("::").pop() ?? "";
    const type = typeOf.get(check.resourceUrn) ?? (check.resourceUrn.split("::")[2] ?? "").split("$").pop() ?? "";
    caseFor(check.policyPack, check.policy, check.resourceUrn, urnName, type);
  }

  const runFailed = report.verdict.status === "error" || !report.source.complete;
  let tests = 1;
  let failures = 0;
  for (const cases of packs.values()) {
    tests += cases.size;
    for (const c of cases.values()) if (c.violations.some((v) => v.level === "mandatory")) failures++;
  }

  // U+FFFD for characters XML 1.0 cannot carry (control characters in a message), instead of an error.
  const doc = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: "\uFFFD" }).ele("testsuites", {
    name: "alinux-guard",
    tests: String(tests),
    failures: String(failures),
    errors: String(runFailed ? 1 : 0),
    skipped: "0",
  });
  const versions = new Map(report.policyPacks.map((p) => [p.name, p.version]));
  for (const [pack, cases] of packs) {
    const caseList = [...cases.values()];
    const suite = doc.ele("testsuite", {
      name: pack || "unknown-pack",
      tests: String(caseList.length),
      failures: String(caseList.filter((c) => c.violations.some((v) => v.level === "mandatory")).length),
      errors: "0",
      skipped: "0",
    });
    suite.ele("properties").ele("property", { name: "policyPackVersion", value: versions.get(pack) ?? "" });
    for (const c of caseList) {
      const tc = suite.ele("testcase", {
        classname: c.classname,
        name: c.name,
        ...(c.file ? { file: c.file, line: String(c.line) } : {}),
      });
      const mandatory = c.violations.filter((v) => v.level === "mandatory");
      if (mandatory.length > 0) {
        const text = mandatory.map((v) => `${v.resourceUrn}\n${v.message}`).join("\n\n");
        tc.ele("failure", {
          type: "mandatory",
          message: (mandatory[0].message.split("\n")[0] ?? "").slice(0, 500),
        }).txt(text);
      }
      const others = c.violations.filter((v) => v.level !== "mandatory");
      if (others.length > 0)
        tc.ele("system-out").txt(others.map((v) => `${v.level}: ${v.resourceUrn}\n${v.message}`).join("\n\n"));
    }
  }

  const runSuite = doc.ele("testsuite", {
    name: "alinux-guard run",
    tests: "1",
    failures: "0",
    errors: String(runFailed ? 1 : 0),
    skipped: "0",
  });
  const runCase = runSuite.ele("testcase", {
    classname: "alinux-guard.run",
    name: `policy run (${report.source.kind})`,
  });
  if (runFailed) {
    const why = report.source.complete
      ? report.errors.join("\n")
      : "the event stream ends without the engine's summary: the run was cut short";
    runCase
      .ele("error", { type: report.source.complete ? "engine-error" : "incomplete", message: report.verdict.summary })
      .txt(why);
  }
  const notes = [
    report.verdict.summary,
    report.checks.reported
      ? ""
      : "This CLI reports violations only (no per-resource policy summaries before v3.196.0): passed checks are not listed.",
    ...report.skipped.map((s) => `Skipped ${s.count} × ${s.reason}.`),
  ].filter(Boolean);
  runCase.ele("system-out").txt(notes.join("\n"));
  return doc.end({ prettyPrint: true });
}
