// alinux2-overlayfs-dentry-leak through the engine protocol (AnalyzeStack with outputs, parents, dependencies
// and property dependencies), at preview (unknown computed outputs) and after deploy (known IDs).
import { describe, expect, it } from "vitest";
import type { AnalyzeResult } from "../../tools/engine/protocolViews";
import type { StackResourceInput } from "../../tools/engine/requests";
import { secret, unknown } from "../../tools/engine/sentinels";
import { IMAGES, POLICY } from "../support/contract";
import {
  base64,
  command,
  deployedInstance,
  deployedInvocation,
  HOTFIX_SCRIPT,
  previewInstance,
  previewInvocation,
  resource,
  T,
  UNRELATED_SCRIPT,
} from "../support/stackFixtures";
import { KERNEL_RELEASE, allText, byPolicy, isCantRunAdvisory, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

const overlay = (r: AnalyzeResult) => byPolicy(r, POLICY.overlayfs);
const violationsAt = (r: AnalyzeResult, x: StackResourceInput) =>
  overlay(r).filter((d) => d.urn === pack().urnOf(x) && !d.message.startsWith("can't run"));

describe("how violations travel", () => {
  it("sends the message as the pack wrote it, without the description line, and the description in its own field", async () => {
    // The pack reports in the SDK's object form (policies/src/runtime/violationReport.ts): the engine shows the
    // message alone, so it starts with what is affected, and the description is not sent a second time.
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const [v, ...rest] = violationsAt(await pack().analyzeStack([i]), i);
    expect(rest).toEqual([]);
    const { description } = (await pack().getAnalyzerInfo()).policies.find((p) => p.name === POLICY.overlayfs)!;
    expect(v.description).toBe(description);
    expect(v.message.split("\n")[0]).toMatch(/^ECS instance 'web' launches from image /);
    expect(v.message).not.toContain(description);
  });
});

// Every launch surface, reported at its own URN (and through a launch template of the stack): generated from the table
// in launchSurfaces.generated.spec.ts.
describe("affected kernels and resources that are not launch surfaces", () => {
  it("kernels below the hotfix range and 2019 images are affected too", async () => {
    for (const image of [IMAGES.belowHotfixRange, IMAGES.affected2019]) {
      const i = previewInstance("old", image);
      const v = violationsAt(await pack().analyzeStack([i]), i);
      expect(v, image).toHaveLength(1);
      expect(v[0].message).toContain(image);
      expect(v[0].message).toMatch(KERNEL_RELEASE);
    }
  });

  it("resources that launch nothing, other OS images and custom images are not this policy's business", async () => {
    const r = await pack().analyzeStack([
      resource(T.bucket, "bucket", { bucket: "b" }),
      previewInstance("u", IMAGES.ubuntu),
      previewInstance("a3", IMAGES.alinux3),
      previewInstance("custom", IMAGES.custom),
    ]);
    expect(overlay(r)).toEqual([]);
  });
});

describe("mitigation by the live hotfix", () => {
  it("at preview: an invocation linked by property dependencies to the instance and a hotfix command", async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const cmd = command("hotfix", HOTFIX_SCRIPT);
    expect(overlay(await pack().analyzeStack([i, cmd, previewInvocation("apply", cmd, [i])]))).toEqual([]);
  });

  it("after deploy: linked by cloud IDs only (props.id, instanceIds, commandId)", async () => {
    const i = deployedInstance("web", IMAGES.affectedHotfixable);
    const cmd = command("hotfix", HOTFIX_SCRIPT, { id: "c-harness0001" });
    expect(
      overlay(
        await pack().analyzeStack([i, cmd, deployedInvocation("apply", cmd, [i])], { includeStackAndProviders: true }),
      ),
    ).toEqual([]);
  });

  it("an invocation on another instance does not mitigate this one", async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const other = previewInstance("other", IMAGES.fixed);
    const cmd = command("hotfix", HOTFIX_SCRIPT);
    const r = await pack().analyzeStack([i, other, cmd, previewInvocation("apply", cmd, [other])]);
    expect(violationsAt(r, i)).toHaveLength(1);
  });

  it("a command that does not install the hotfix does not mitigate", async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const cmd = command("nginx", UNRELATED_SCRIPT);
    const v = violationsAt(await pack().analyzeStack([i, cmd, previewInvocation("apply", cmd, [i])]), i);
    expect(v).toHaveLength(1);
    expect(v[0].enforcementLevel).toBe("mandatory");
  });

  it("user data installing the hotfix mitigates, plain or base64", async () => {
    for (const userData of [HOTFIX_SCRIPT, base64(HOTFIX_SCRIPT)]) {
      expect(
        overlay(await pack().analyzeStack([previewInstance("web", IMAGES.affectedHotfixable, { userData })])),
      ).toEqual([]);
      expect(
        overlay(
          await pack().analyzeStack([
            resource(T.launchTemplate, "lt", { imageId: IMAGES.affectedHotfixable, userData }),
          ]),
        ),
      ).toEqual([]);
    }
  });

  it("the hotfix does not count for kernels below 4.19.91-19.1.al7", async () => {
    const i = previewInstance("old", IMAGES.belowHotfixRange, { userData: HOTFIX_SCRIPT });
    const cmd = command("hotfix", HOTFIX_SCRIPT);
    const v = violationsAt(await pack().analyzeStack([i, cmd, previewInvocation("apply", cmd, [i])]), i);
    expect(v).toHaveLength(1);
    expect(v[0].enforcementLevel).toBe("mandatory");
  });
});

describe("unknown values at preview", () => {
  it("a known violation stays mandatory when unrelated fields are unknown", async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable, {
      vswitchId: unknown(),
      securityGroups: [unknown()],
      tags: unknown("object"),
      privateIp: unknown(),
      internetMaxBandwidthOut: unknown("number"),
    });
    const r = await pack().analyzeStack([i]);
    const v = violationsAt(r, i);
    expect(v).toHaveLength(1);
    expect(v[0].enforcementLevel).toBe("mandatory");
    expect(overlay(r).filter((d) => d.enforcementLevel === "advisory")).toEqual([]);
  });

  it("an unknown image yields the engine's advisory, not a failure — after the known violations", async () => {
    const known = previewInstance("known", IMAGES.affectedHotfixable);
    const pending = previewInstance("pending", unknown());
    const later = previewInstance("later", IMAGES.affected2019);
    const r = await pack().analyzeStack([known, pending, later]);
    const o = overlay(r);
    expect(violationsAt(r, known)).toHaveLength(1);
    expect(violationsAt(r, later)).toHaveLength(1);
    const advisories = o.filter((d) => isCantRunAdvisory(d, POLICY.overlayfs));
    expect(advisories).toHaveLength(1);
    expect(advisories[0].message).toContain(
      "1 verdict waits for values unknown at preview: ECS instance 'pending' (imageId).",
    );
    expect(o.indexOf(advisories[0])).toBe(o.length - 1);
    expect(o.filter((d) => d.enforcementLevel === "mandatory")).toHaveLength(2);
  });

  it("only an unknown image: advisory only, nothing mandatory", async () => {
    const r = await pack().analyzeStack([previewInstance("pending", unknown())]);
    expect(overlay(r)).toHaveLength(1);
    expect(isCantRunAdvisory(overlay(r)[0], POLICY.overlayfs)).toBe(true);
  });

  it("an unknown hotfix command on an affected image fails closed (mandatory, naming it); with unknownMitigations defer it stays open", async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const cmd = resource(T.command, "cmd", { id: unknown(), commandContent: unknown() });
    const stack = [i, cmd, previewInvocation("apply", cmd, [i])];
    const blocked = overlay(await pack().analyzeStack(stack));
    expect(blocked.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(blocked[0].message).toContain(
      "commandContent of command 'cmd', run by Cloud Assistant invocation 'apply' is not known at preview",
    );
    await pack().configure({ [POLICY.overlayfs]: { unknownMitigations: "defer" } });
    const deferred = overlay(await pack().analyzeStack(stack));
    expect(deferred.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
    expect(deferred.some((d) => isCantRunAdvisory(d, POLICY.overlayfs))).toBe(true);
  });
});

describe("secrets", () => {
  it("a secret image ID is still judged (policies see plaintext)", async () => {
    const i = previewInstance("web", secret(IMAGES.affectedHotfixable));
    expect(violationsAt(await pack().analyzeStack([i]), i)).toHaveLength(1);
  });

  it("secret user data is never echoed in any message", async () => {
    const token = "S3CRET-harness-token-5b1f";
    const userData = secret(`#!/bin/bash\nexport API_TOKEN=${token}\nyum install -y nginx\n`);
    const i = previewInstance("web", IMAGES.affectedHotfixable, { userData });
    const lt = resource(T.launchTemplate, "lt", {
      imageId: IMAGES.affectedHotfixable,
      userData: secret(base64(`TOKEN=${token}\n`)),
    });
    const cmd = command("c", `echo ${token}\n`);
    const r = await pack().analyzeStack([i, lt, cmd, previewInvocation("apply", cmd, [i])]);
    expect(violationsAt(r, i)).toHaveLength(1);
    expect(allText(r)).not.toContain(token);
    expect(allText(r)).not.toContain(base64(`TOKEN=${token}\n`));
  });
});

describe("configuration", () => {
  it("imageKernels: a declared custom image is judged by its declared kernel", async () => {
    await pack().configure({ [POLICY.overlayfs]: { imageKernels: { [IMAGES.custom]: "4.19.91-21.al7.x86_64" } } });
    const i = previewInstance("custom", IMAGES.custom);
    const v = violationsAt(await pack().analyzeStack([i]), i);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain(IMAGES.custom);
    expect(v[0].message).toContain("4.19.91-21.al7");
    await pack().configure({ [POLICY.overlayfs]: { imageKernels: { [IMAGES.custom]: "4.19.91-27.al7.x86_64" } } });
    expect(violationsAt(await pack().analyzeStack([i]), i)).toEqual([]);
  });

  it("a valid exemption silences the resource, by logical name glob or URN", async () => {
    const i = previewInstance("legacy-web-1", IMAGES.affectedHotfixable);
    await pack().configure({
      [POLICY.overlayfs]: {
        exemptions: [{ resource: "legacy-*", reason: "migration ticket OPS-1", expires: "2999-12-31" }],
      },
    });
    expect(violationsAt(await pack().analyzeStack([i]), i)).toEqual([]);
    await pack().configure({
      [POLICY.overlayfs]: { exemptions: [{ resource: pack().urnOf(i), reason: "ticket", expires: "2999-12-31" }] },
    });
    expect(violationsAt(await pack().analyzeStack([i]), i)).toEqual([]);
  });

  it("an expired exemption: the violation returns and says the exemption expired", async () => {
    const i = previewInstance("legacy-web-1", IMAGES.affectedHotfixable);
    await pack().configure({
      [POLICY.overlayfs]: { exemptions: [{ resource: "legacy-web-?", reason: "old ticket", expires: "2001-01-01" }] },
    });
    const v = violationsAt(await pack().analyzeStack([i]), i);
    expect(v).toHaveLength(1);
    expect(v[0].enforcementLevel).toBe("mandatory");
    expect(v[0].message).toMatch(/expired/i);
    expect(v[0].message).toContain("2001-01-01");
  });

  it('enforcement levels from the config file: "all", per policy, disabled', async () => {
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    await pack().configure({ all: "advisory" });
    expect(violationsAt(await pack().analyzeStack([i]), i)[0].enforcementLevel).toBe("advisory");
    await pack().configure({ all: "advisory", [POLICY.overlayfs]: "mandatory" });
    expect(violationsAt(await pack().analyzeStack([i]), i)[0].enforcementLevel).toBe("mandatory");
    await pack().configure({ [POLICY.overlayfs]: { enforcementLevel: "disabled" } });
    expect(overlay(await pack().analyzeStack([i]))).toEqual([]);
    // A stack policy at "remediate" is treated as mandatory.
    await pack().configure({ [POLICY.overlayfs]: "remediate" });
    expect(violationsAt(await pack().analyzeStack([i]), i)[0].enforcementLevel).toBe("mandatory");
  });
});

describe("protocol placement", () => {
  it("a stack policy does not run in Analyze", async () => {
    const r = await pack().analyze({ type: T.instance, name: "web", props: { imageId: IMAGES.affectedHotfixable } });
    expect(byPolicy(r, POLICY.overlayfs)).toEqual([]);
  });

  it("children of components keep their own URNs", async () => {
    const comp = resource("acme:fleet:Fleet", "fleet", {}, { provider: null });
    const i = { ...previewInstance("member", IMAGES.affectedHotfixable), parent: comp };
    const r = await pack().analyzeStack([comp, i]);
    expect(violationsAt(r, i)).toHaveLength(1);
    expect(pack().urnOf(i)).toContain("acme:fleet:Fleet$alicloud:ecs/instance:Instance::member");
  });
});
