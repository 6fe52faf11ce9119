// Markdown for `$GITHUB_STEP_SUMMARY` and merge-request comments: a verdict line, a table of the mandatory
// violations (resource, type, policy, level, image, kernel, fix), the advisories in a table of their own, then what
// the run could not tell (engine errors, skipped input).
//
// GitHub rejects a step summary over 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of
// 1024k"), so rows stop before the budget (measured in UTF-8 bytes, default 1 000 000) and a line says how many were
// left out and where the rest is (the JSON report). Cell text is escaped for GitHub-flavoured Markdown tables: pipes,
// line breaks, and HTML, which GitHub would otherwise render.
import type { PolicyReport, ReportViolation } from "./reportModel";

export const GITHUB_STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_MARKDOWN_BUDGET_BYTES = 1_000_000;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function cell(text: string | undefined, max = 400): string {
  if (!text) return "—";
  const flat = text.replace(/\s*\n\s*/g, " ").trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|");
}

const code = (text: string) => (text ? `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\`` : "—");

const HEADER = "| Resource | Type | Policy | Level | Image | Kernel | Fix |\n|---|---|---|---|---|---|---|\n";

function row(v: ReportViolation): string {
  const fix = v.fix ?? (v.message.split("\n").find((l) => /^(fix|remediation):/i.test(l)) || undefined);
  return (
    `| ${code(v.resourceName || "stack")} | ${code(v.resourceType)} | ${cell(v.policy)} | ${v.level} | ${v.image ? code(v.image) : "—"} | ` +
    `${v.kernel ? code(v.kernel) : "—"} | ${cell(fix ?? firstSentence(v.message))} |\n`
  );
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return /^(.+?\.)(\s|$)/.exec(line)?.[1] ?? line;
}

export function markdownReport(report: PolicyReport, budgetBytes = DEFAULT_MARKDOWN_BUDGET_BYTES): string {
  const mandatory = report.violations.filter((v) => v.level === "mandatory");
  const others = report.violations.filter((v) => v.level !== "mandatory");
  const where = [report.stack ? `stack \`${report.stack}\`` : "", report.project ? `project \`${report.project}\`` : ""]
    .filter(Boolean)
    .join(" of ");
  const icon = report.verdict.status === "passed" ? "✅" : report.verdict.status === "blocked" ? "⛔" : "⚠️";
  let out = `## ${icon} alinux-guard: ${cell(report.verdict.summary, 300)}\n\n`;
  out += `${where ? `${where[0].toUpperCase()}${where.slice(1)} · ` : ""}events: ${report.source.kind}${report.source.complete ? "" : " (incomplete)"} · fail on: ${report.failOn}\n\n`;

  const tail: string[] = [];
  if (report.errors.length)
    tail.push(
      `**Engine errors** (${report.errors.length}):\n\n${report.errors.map((e) => `- ${cell(e, 1000)}`).join("\n")}\n`,
    );
  if (!report.checks.reported)
    tail.push("_Passed checks are not listed: this CLI sends no per-resource policy summaries (v3.196.0+ does)._\n");
  if (report.skipped.length)
    tail.push(`**Skipped input:**\n\n${report.skipped.map((s) => `- ${s.count} × ${cell(s.reason)}`).join("\n")}\n`);
  const tailText = tail.length ? `\n${tail.join("\n")}` : "";

  const reserve = 400 + bytes(tailText);
  let size = bytes(out);
  let omitted = 0;
  const section = (title: string, list: readonly ReportViolation[]) => {
    if (list.length === 0) return;
    const head = `### ${title} (${list.length})\n\n${HEADER}`;
    if (size + bytes(head) + reserve > budgetBytes) {
      omitted += list.length;
      return;
    }
    out += head;
    size += bytes(head);
    for (const v of list) {
      const r = row(v);
      if (size + bytes(r) + reserve > budgetBytes) {
        omitted++;
        continue;
      }
      out += r;
      size += bytes(r);
    }
    out += "\n";
    size += 1;
  };
  section("Mandatory violations", mandatory);
  section("Advisories", others);
  if (report.violations.length === 0)
    out += report.verdict.status === "error" ? "No policy result.\n" : "No policy violations.\n";
  if (omitted > 0)
    out += `\n**${omitted} more violation${omitted === 1 ? "" : "s"} not shown** (GitHub's 1 MiB step-summary limit); the JSON and SARIF reports list all of them.\n`;
  return out + tailText;
}
