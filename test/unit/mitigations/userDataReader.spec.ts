import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readUserData } from "../../../policies/src/mitigations/userDataReader";

const SCRIPT = "#!/bin/bash\nyum install -y pkg\n";
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const kinds = async (value: string) => {
  const r = await readUserData(value);
  return r.state === "runs" ? r.effects.map((e) => `${e.kind}@${e.origin}`) : r.state;
};

describe("readUserData", () => {
  it("reads plain, Base64 and gzip'd user data", async () => {
    for (const value of [SCRIPT, b64(SCRIPT), b64(gzipSync(SCRIPT))])
      expect(await kinds(value)).toEqual(["install@a shell script"]);
  });

  it("runs a shell script only with a #! line naming a shell, and not with a CRLF #! line", async () => {
    expect(await readUserData("yum install -y pkg\n")).toEqual({
      state: "does-not-run",
      reason: "it has no #! line (cloud-init does not run it)",
    });
    expect(await readUserData("#!/bin/bash\r\nyum install -y pkg\r\n")).toEqual({
      state: "does-not-run",
      reason: "its #! line ends in CRLF (bad interpreter)",
    });
    expect((await readUserData("#!/usr/bin/python3\nprint(1)\n")).state).toBe("cannot-be-read");
    expect(await kinds("#!/usr/bin/env bash\nyum install -y pkg\n")).toEqual(["install@a shell script"]);
  });

  it("does not follow #include and does not read boothooks", async () => {
    expect((await readUserData("#include\nhttps://example.invalid/x\n")).state).toBe("does-not-run");
    expect((await readUserData("#cloud-boothook\nyum install -y pkg\n")).state).toBe("cannot-be-read");
  });

  it("splits MIME multi-part user data by part type, decoding base64 and quoted-printable parts", async () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="B"',
      "MIME-Version: 1.0",
      "",
      "--B",
      "Content-Type: text/x-shellscript",
      "Content-Transfer-Encoding: base64",
      "",
      b64(SCRIPT),
      "--B",
      "Content-Type: text/cloud-config",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "#cloud-config",
      "runcmd:",
      "  - [yum, install, -y, other=3Dpkg]",
      "--B",
      "Content-Type: text/x-shellscript",
      "",
      "echo no shebang",
      "--B--",
      "",
    ].join("\n");
    const r = await readUserData(mime);
    expect(r.state).toBe("runs");
    if (r.state !== "runs") return;
    expect(r.effects.map((e) => `${e.kind}@${e.origin}`)).toEqual(["install@a shell script", "install@runcmd"]);
    expect(r.notes).toEqual(["MIME part 3 (text/x-shellscript) does not run: it has no #! line"]);
  });

  it("says malformed gzip or MIME cannot be read, without echoing it", async () => {
    const corrupt = await readUserData(b64(Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3])));
    expect(corrupt).toEqual({ state: "cannot-be-read", reason: "its gzip data is corrupt or inflates past 4 MiB" });
    const bomb = await readUserData(b64(gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x61))));
    expect(bomb.state).toBe("cannot-be-read");
    expect((await readUserData('Content-Type: multipart/mixed; boundary="B"\n\nno parts here\n')).state).toBe(
      "cannot-be-read",
    );
  });
});

describe("readUserData and secrets", () => {
  it("never names a MIME part type it does not know (a header of user data)", async () => {
    const part = (type: string) => ["--B", `Content-Type: ${type}`, "", "#!/bin/bash", "yum install -y kernel-x"];
    const mime = [
      'Content-Type: multipart/mixed; boundary="B"',
      "",
      ...part("text/x-s3cr3t-token"),
      ...part("text/x-shellscript"),
      "--B--",
      "",
    ].join("\n");
    const r = await readUserData(mime);
    expect(JSON.stringify(r)).not.toContain("s3cr3t");
    expect(r.state === "runs" && r.notes).toEqual([
      "MIME part 1 (of another type) does not run: cloud-init has no handler for its Content-Type",
    ]);
  });
});
