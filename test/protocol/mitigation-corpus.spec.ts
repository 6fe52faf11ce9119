// A sample of the mitigation corpus (test/unit/mitigations/corpus/mitigationCorpus.ts) through the real pack, spawned
// as the engine spawns it: at least one case of every kind of reading, blocked and mitigated, as user data and as a
// Cloud Assistant command. The whole corpus runs through the unit runtime.
import { describe, expect, it } from "vitest";
import { CORPUS, CorpusCase } from "../unit/mitigations/corpus/mitigationCorpus";
import { POLICY } from "../support/contract";
import { command, previewInstance, previewInvocation } from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

const SAMPLE = [
  "no #! line",
  "CRLF #! line",
  "--downloadonly after the $(uname | awk)",
  "write_files only writes the script",
  "package name without the sub-version",
  "corrupt gzip",
  "command content in plain text",
  "command as a non-root user",
  "invocation that failed",
  "companion without allowReboot on an old kernel (REBOOT PENDING)",
  "gzip'd user data",
  "#cloud-config runcmd argv list",
  "MIME part in Base64",
  "kernel update then reboot (the advisory's fix below 19.1)",
  "command ending in exit 194 after a kernel update",
  "parameters supplying the package",
  "the companion's command with allowReboot on an old kernel",
  "the companion's user data on a hotfix kernel",
];

function stackOf(c: CorpusCase) {
  if (c.via === "userData") return [previewInstance("web", c.image, { userData: c.value })];
  const web = previewInstance("web", c.image);
  const fix = command("fix", c.value, { ...(c.raw ? { commandContent: c.value } : {}), ...c.command });
  return [web, fix, previewInvocation("apply", fix, [web], c.invocation ?? {})];
}

describe("mitigation corpus sample through the engine harness", () => {
  const cases = CORPUS.filter((c) => SAMPLE.includes(c.name));
  it("samples every case it names", () => expect(cases.map((c) => c.name).sort()).toEqual([...SAMPLE].sort()));
  for (const c of cases) {
    it(`${c.verdict}: ${c.name} (${c.via})`, async () => {
      const found = byPolicy(await pack().analyzeStack(stackOf(c)), POLICY.overlayfs).filter(
        (d) => !d.message.startsWith("can't run"),
      );
      if (c.verdict === "mitigated") expect(found).toEqual([]);
      else {
        expect(found).toHaveLength(1);
        expect(found[0].message).toContain(c.reason);
      }
    });
  }
});
