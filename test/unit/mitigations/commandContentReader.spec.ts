import { describe, expect, it } from "vitest";
import { readCommandContent } from "../../../policies/src/mitigations/commandContentReader";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("readCommandContent", () => {
  it("takes Base64 only, as CreateCommand does", async () => {
    expect(await readCommandContent("yum install -y x")).toEqual({
      state: "does-not-run",
      reason: "its commandContent is not Base64 (CreateCommand takes Base64 only)",
    });
    expect((await readCommandContent(b64("yum install -y x"))).state).toBe("runs");
  });

  it("substitutes {{name}} parameters case-insensitively, and fails on a missing one", async () => {
    const r = await readCommandContent(b64("yum install -y {{Pkg}}"), new Map([["pkg", "abc"]]));
    expect(r.state === "runs" && r.effects[0].kind === "install" && r.effects[0].packages).toEqual([
      [{ kind: "text", text: "abc" }],
    ]);
    expect((await readCommandContent(b64("yum install -y {{pkg}}"), new Map())).state).toBe("does-not-run");
    // Without EnableParameter the braces stay literal.
    const literal = await readCommandContent(b64("yum install -y {{pkg}}"));
    expect(literal.state === "runs" && literal.effects[0].kind === "install" && literal.effects[0].packages).toEqual([
      [{ kind: "text", text: "{{pkg}}" }],
    ]);
  });
});
