import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readingsOf, scriptInstallsHotfix } from "../../../policies/src/mitigations/hotfixScript";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { hotfixCommandContent, hotfixUserData } from "../../../companion/hotfixScript";
import { base64, HOTFIX_SCRIPT, UNRELATED_SCRIPT } from "../../support/stackFixtures";

const PKG = "kernel-hotfix-4375449";

describe("scriptInstallsHotfix", () => {
  it("recognises the advisory's own command, plain and base64", () => {
    const advisoryCommand = getAdvisory("alinux2-overlayfs-dentry-leak").hotfix!.installCommand;
    expect(scriptInstallsHotfix(advisoryCommand, PKG)).toBe(true);
    expect(scriptInstallsHotfix(base64(`#!/bin/sh\n${advisoryCommand}\n`), PKG)).toBe(true);
  });

  it("recognises the companion's command content and user data (what the companion stack attaches)", () => {
    expect(scriptInstallsHotfix(hotfixCommandContent(), PKG)).toBe(true);
    const userData = hotfixUserData();
    expect(scriptInstallsHotfix(userData.text, PKG)).toBe(true);
    expect(scriptInstallsHotfix(userData.base64, PKG)).toBe(true);
  });

  it.each([
    ["dnf with options before install", `dnf -y install ${PKG}-22.2.al7.x86_64`],
    ["sudo yum", `sudo yum install -y ${PKG}-21.al7.x86_64`],
    ["package named on another line", `PKG=${PKG}-$(uname -r | awk -F- '{print $NF}')\nyum install -y "$PKG"`],
  ])("accepts %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(true);
  });

  it.each([
    ["an unrelated install", UNRELATED_SCRIPT],
    ["the package only in a comment", `# TODO: yum install -y ${PKG}\necho later`],
    ["the package named but never installed", `echo "${PKG} is what we need"\n`],
    ["a yum install only in a comment", `# yum install\nrpm -q ${PKG}\n`],
    ["a removal", `yum remove -y ${PKG}-22.2.al7.x86_64`],
    ["another hotfix", "yum install -y kernel-hotfix-4121479-21.al7.x86_64"],
  ])("rejects %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(false);
    expect(scriptInstallsHotfix(base64(script), PKG)).toBe(false);
  });

  it("does not decode text that is not base64 of text", () => {
    expect(readingsOf("hello world")).toEqual(["hello world"]);
    expect(readingsOf(Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]).toString("base64"))).toHaveLength(1);
    expect(readingsOf(base64(HOTFIX_SCRIPT))).toEqual([base64(HOTFIX_SCRIPT), HOTFIX_SCRIPT]);
  });

  it("gives the same verdict for a script and its base64", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("echo hi", "yum install -y x", `rpm -q ${PKG}`, "# comment", "set -e", `yum -y install ${PKG}-1`), { maxLength: 6 }), (lines) => {
        const script = lines.join("\n");
        expect(scriptInstallsHotfix(base64(script), PKG)).toBe(scriptInstallsHotfix(script, PKG));
      }),
    );
  });
});

describe("scriptInstallsHotfix: the install itself must be the hotfix", () => {
  it.each([
    ["a mention next to an unrelated install", `#!/bin/bash\necho ${PKG} later\nyum install -y nginx\n`],
    ["an rpm query next to an unrelated install", `rpm -q ${PKG}-22.2.al7 || yum install -y kpatch\n`],
    ["a variable naming the package that the install does not use", `P=${PKG}-22.2.al7\nQ=nginx\nyum install -y "$Q"\n`],
  ])("rejects %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(false);
  });

  it.each([
    ["through one variable", `PKG="${PKG}-$(uname -r | awk -F"-" '{print $NF}')"\nyum install -y "$PKG"\n`],
    ["through two variables and braces", `readonly PREFIX="${PKG}" ID="4375449"\nFULL="\${PREFIX}-\${REL}"\ndnf -y install \${FULL}\n`],
  ])("accepts the package %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(true);
  });
});

describe("scriptInstallsHotfix reads what the shell runs", () => {
  it.each([
    ["an echo of the install command", `echo "TODO: yum install -y ${PKG}-22.2.al7"\n`],
    ["an unrelated install with the package in a trailing comment", `yum install -y docker # later: ${PKG}\n`],
    ["a here-document that only writes the command into a file", `cat > /tmp/later.sh <<'EOF'\nyum install -y ${PKG}-22.2.al7\nEOF\n`],
    ["a download without install", `yum install --downloadonly -y ${PKG}-22.2.al7\n`],
    ["printf of the command", `printf 'yum install -y %s\\n' ${PKG}\n`],
  ])("rejects %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(false);
  });

  it.each([
    ["after sudo and environment assignments", `LANG=C sudo -n yum -y install ${PKG}-22.2.al7.x86_64\n`],
    ["inside an if", `if ! rpm -q ${PKG}-22.2.al7; then yum install -y ${PKG}-22.2.al7; fi\n`],
    ["with a full path", `/usr/bin/dnf install -y ${PKG}-22.2.al7\n`],
    ["after a here-document that ends", `cat > /etc/motd <<EOF\nhello\nEOF\nyum install -y ${PKG}-22.2.al7\n`],
  ])("accepts an install %s", (_what, script) => {
    expect(scriptInstallsHotfix(script, PKG)).toBe(true);
  });

  it("checks a pinned release against the kernel, directly or through variables", () => {
    const kernel = parseKernelRelease("4.19.91-21.al7.x86_64");
    expect(scriptInstallsHotfix(`yum install -y ${PKG}-22.2.al7`, PKG, kernel)).toBe(false);
    expect(scriptInstallsHotfix(`yum install -y ${PKG}-21.al7.x86_64`, PKG, kernel)).toBe(true);
    expect(scriptInstallsHotfix(`P=${PKG}-22.2.al7\nyum install -y "$P"`, PKG, kernel)).toBe(false);
    expect(scriptInstallsHotfix(`yum install -y ${PKG}-$(uname -r | awk -F- '{print $NF}')`, PKG, kernel)).toBe(true);
    expect(scriptInstallsHotfix(hotfixCommandContent(), PKG, kernel)).toBe(true);
  });
});
