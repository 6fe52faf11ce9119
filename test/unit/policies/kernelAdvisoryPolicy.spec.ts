import { describe, expect, it } from "vitest";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { createAdvisoryPolicy } from "../../../policies/src/policies/kernelAdvisoryPolicy";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { runStack, secret, UNKNOWN, Violation } from "../../support/policyRuntime";
import { IMAGES, POLICY } from "../../support/contract";
import {
  base64,
  command,
  deployedInvocation,
  HOTFIX_SCRIPT,
  previewInvocation,
  resource,
  T,
  UNRELATED_SCRIPT,
  urnFor,
} from "../../support/stackFixtures";

const TODAY = "2026-11-27";
const context = createPackContext({ today: () => TODAY });
const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
const createOverlayfsDentryLeakPolicy = (ctx: typeof context) =>
  createAdvisoryPolicy(getAdvisory(OVERLAYFS_POLICY_NAME), ctx);
const main = (violations: Violation[]) => violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
const mandatoryUrns = (violations: Violation[]) =>
  main(violations)
    .filter((v) => v.enforcementLevel === "mandatory")
    .map((v) => v.urn);

async function check(resources: Parameters<typeof runStack>[0], config: Parameters<typeof runStack>[1] = {}) {
  return runStack(resources, config, { context });
}

describe("alinux2-overlayfs-dentry-leak metadata", () => {
  const policy = createOverlayfsDentryLeakPolicy(context);

  it("is the mandatory, critical stack policy users name in config", () => {
    expect(policy.name).toBe("alinux2-overlayfs-dentry-leak");
    expect(policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
    expect(typeof policy.validateStack).toBe("function");
  });

  it("describes itself in full sentences naming the kernel bound and the hotfix", () => {
    expect(policy.description).toMatch(/^[A-Z].*\.$/s);
    for (const sentence of policy.description.split(/(?<=\.) /)) expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(policy.description).toContain("4.19.91-22.2.al7");
    expect(policy.description).toContain("kernel-hotfix-4375449");
  });

  it("links the advisory and gives numbered remediation steps covering both ways out", () => {
    expect(policy.url).toBe(
      "https://www.alibabacloud.com/help/en/alinux/support/alibaba-cloud-linux-2-ecs-instance-overlayfs-dentry-leak-causes",
    );
    expect(policy.framework?.reference).toBe("https://help.aliyun.com/knowledge_detail/273061.html");
    const steps = policy.remediationSteps?.split("\n") ?? [];
    expect(steps.length).toBeGreaterThanOrEqual(2);
    steps.forEach((step, i) => expect(step.startsWith(`${i + 1}. `)).toBe(true));
    expect(policy.remediationSteps).toMatch(/fixed image/);
    expect(policy.remediationSteps).toContain(
      "yum install -y kernel-hotfix-4375449-`uname -r | awk -F\"-\" '{print $NF}'`",
    );
  });

  it("declares its config with defaults the engine applies", () => {
    const props = policy.configSchema?.properties ?? {};
    expect(Object.keys(props).sort()).toEqual(["exemptions", "imageKernels", "unknownMitigations"]);
    expect(props.exemptions).toMatchObject({ type: "array", default: [] });
    expect(props.unknownMitigations).toMatchObject({ type: "string", enum: ["block", "defer"], default: "block" });
    expect(props.imageKernels).toMatchObject({ type: "object", default: {} });
  });
});

describe("alinux2-overlayfs-dentry-leak on launch surfaces", () => {
  it("blocks an instance on an affected image at its own URN, naming image, kernel and how it is known", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable });
    const [violation, ...rest] = main((await check([web])).violations);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ enforcementLevel: "mandatory", severity: "critical", urn: urnFor(web) });
    expect(violation.message).toContain(IMAGES.affectedHotfixable);
    expect(violation.message).toContain("kernel 4.19.91-22.2.al7");
    expect(violation.message).toContain("release notes");
    // A fixed image of the same variant, with a kernel stated in its release notes: no mark needed.
    expect(violation.message).toMatch(
      /use fixed image aliyun_2_1903_x64_20G_alibase_2021\d{4}\.vhd or Alibaba Cloud Linux 3/,
    );
    expect(violation.message).not.toMatch(/variant|INFERRED/);
    expect(violation.message).toMatch(/OverlayfsHotfix/);
  });

  it("passes fixed images and other operating systems", async () => {
    const run = await check([
      resource(T.instance, "fixed", { imageId: IMAGES.fixed }),
      resource(T.instance, "alinux3", { imageId: IMAGES.alinux3 }),
      resource(T.bucket, "logs", { bucket: "logs" }),
    ]);
    expect(main(run.violations)).toEqual([]);
  });

  it.each([
    [T.instanceSet, "imageId", []],
    [T.launchTemplate, "imageId", ["userData"]],
    [T.ecsLaunchTemplate, "imageId", ["userData"]],
    [T.scalingConfiguration, "imageId", ["userData"]],
    [T.scalingConfiguration, "imageName", ["userData"]],
    [T.nodePool, "imageId", ["userData", "preUserData"]],
    [T.kubernetes, "imageId", []],
  ] as const)(
    "blocks %s on an affected %s, and user data installing the hotfix mitigates it",
    async (type, imageProperty, userDataProperties) => {
      const affected = resource(type, "surface", { [imageProperty]: IMAGES.affectedHotfixable });
      expect(mandatoryUrns((await check([affected])).violations)).toEqual([urnFor(affected)]);
      for (const property of userDataProperties) {
        for (const encoded of [HOTFIX_SCRIPT, base64(HOTFIX_SCRIPT)]) {
          const mitigated = resource(type, "surface", {
            [imageProperty]: IMAGES.affectedHotfixable,
            [property]: encoded,
          });
          expect(mandatoryUrns((await check([mitigated])).violations)).toEqual([]);
        }
      }
    },
  );

  it("does not accept user data that installs something else, and says so without echoing it", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable, userData: base64(UNRELATED_SCRIPT) });
    const [violation] = main((await check([web])).violations);
    expect(violation.message).toContain(
      "its userData: it neither installs kernel-hotfix-4375449 nor updates the kernel and reboots",
    );
    expect(violation.message).not.toContain("nginx");
  });

  it("never echoes secret user data, even though policies receive it in plaintext", async () => {
    const marker = "s3cr3t-P4ssw0rd-in-user-data";
    const web = resource(T.instance, "web", {
      imageId: IMAGES.affectedHotfixable,
      userData: secret(`#!/bin/bash\necho ${marker}\n`),
    });
    const run = await check([web]);
    expect(main(run.violations)).toHaveLength(1);
    for (const v of run.violations) expect(v.message).not.toContain(marker);
  });

  it("judges a secret image ID like a plain one", async () => {
    const web = resource(T.instance, "web", { imageId: secret(IMAGES.affectedHotfixable) });
    expect(mandatoryUrns((await check([web])).violations)).toEqual([urnFor(web)]);
  });
});

describe("alinux2-overlayfs-dentry-leak and Cloud Assistant invocations", () => {
  const hotfix = command("hotfix", HOTFIX_SCRIPT);

  it("passes instances an invocation of a hotfix command targets at preview (through property dependencies)", async () => {
    const a = resource(T.instance, "a", {
      imageId: IMAGES.affectedHotfixable,
      vswitchId: UNKNOWN,
      securityGroups: [UNKNOWN],
    });
    const b = resource(T.instance, "b", { imageId: IMAGES.affectedHotfixable });
    const lonely = resource(T.instance, "lonely", { imageId: IMAGES.affectedHotfixable });
    const run = await check([a, b, lonely, hotfix, previewInvocation("apply", hotfix, [a, b])]);
    expect(mandatoryUrns(run.violations)).toEqual([urnFor(lonely)]);
  });

  it("passes instances an invocation targets after deploy (through IDs)", async () => {
    const a = resource(T.instance, "a", { id: "i-a", imageId: IMAGES.affectedHotfixable });
    const other = resource(T.instance, "other", { id: "i-other", imageId: IMAGES.affectedHotfixable });
    const cmd = command("hotfix", HOTFIX_SCRIPT, { id: "c-1" });
    const run = await check([a, other, cmd, deployedInvocation("apply", cmd, [a])]);
    expect(mandatoryUrns(run.violations)).toEqual([urnFor(other)]);
  });

  it("passes the members of an instance set targeted by their IDs", async () => {
    const set = resource(T.instanceSet, "fleet", { imageId: IMAGES.affectedHotfixable, instanceIds: ["i-1", "i-2"] });
    const cmd = command("hotfix", HOTFIX_SCRIPT, { id: "c-1" });
    const run = await check([set, cmd, deployedInvocation("apply", cmd, ["i-1", "i-2"])]);
    expect(mandatoryUrns(run.violations)).toEqual([]);
  });

  it("does not count an invocation whose command installs something else, nor one that waits for the next reboot", async () => {
    const a = resource(T.instance, "a", { imageId: IMAGES.affectedHotfixable });
    const b = resource(T.instance, "b", { imageId: IMAGES.affectedHotfixable });
    const nginx = command("nginx", UNRELATED_SCRIPT);
    const run = await check([
      a,
      b,
      nginx,
      hotfix,
      previewInvocation("web-setup", nginx, [a]),
      previewInvocation("later", hotfix, [b], { repeatMode: "NextRebootOnly" }),
    ]);
    const [va, vb] = main(run.violations);
    expect([va.urn, vb.urn]).toEqual([urnFor(a), urnFor(b)]);
    expect(va.message).toContain(
      "invocation 'web-setup' (command 'nginx'): it neither installs kernel-hotfix-4375449 nor updates the kernel and reboots",
    );
    expect(vb.message).toContain("NextRebootOnly");
  });

  it.each(["EveryReboot", "Period", "NextRebootOnly"])(
    "does not count an invocation scheduled with repeatMode %s",
    async (repeatMode) => {
      const a = resource(T.instance, "a", { imageId: IMAGES.affectedHotfixable });
      const [violation] = main(
        (await check([a, hotfix, previewInvocation("later", hotfix, [a], { repeatMode, frequency: "0 0 1 1 *" })]))
          .violations,
      );
      expect(violation?.urn).toBe(urnFor(a));
      expect(violation.message).toContain(`scheduled (repeatMode ${repeatMode}), not run once at provisioning`);
    },
  );

  it("counts an explicit one-time invocation", async () => {
    const a = resource(T.instance, "a", { imageId: IMAGES.affectedHotfixable });
    expect(
      mandatoryUrns(
        (await check([a, hotfix, previewInvocation("now", hotfix, [a], { repeatMode: "Once" })])).violations,
      ),
    ).toEqual([]);
  });

  it("never echoes a command's type, even a secret one", async () => {
    const a = resource(T.instance, "a", { imageId: IMAGES.affectedHotfixable });
    const odd = command("odd", HOTFIX_SCRIPT, { type: secret("s3cr3t-TYPE-VALUE") });
    const [violation] = main((await check([a, odd, previewInvocation("x", odd, [a])])).violations);
    expect(violation.message).toContain("is not a RunShellScript");
    expect(violation.message).not.toContain("s3cr3t-TYPE-VALUE");
  });

  it("does not count a hotfix pinned to another kernel's release", async () => {
    const a = resource(T.instance, "a", {
      imageId: "aliyun_2_1903_x64_20G_alibase_20200904.vhd",
      userData: "#!/bin/bash\nyum install -y kernel-hotfix-4375449-22.2.al7\n",
    });
    const [violation] = main((await check([a])).violations);
    expect(violation?.urn).toBe(urnFor(a));
    expect(violation.message).toContain("installs kernel-hotfix-4375449 for another kernel's release");
  });

  it("does not count a PowerShell command even if it names the hotfix", async () => {
    const a = resource(T.instance, "a", { imageId: IMAGES.affectedHotfixable });
    const ps = command("ps", HOTFIX_SCRIPT, { type: "RunPowerShellScript" });
    expect(mandatoryUrns((await check([a, ps, previewInvocation("x", ps, [a])])).violations)).toEqual([urnFor(a)]);
  });

  it("rejects a hotfix-only mitigation for kernels older than the hotfix range, and says why", async () => {
    const old = resource(T.instance, "old", { imageId: IMAGES.belowHotfixRange, userData: HOTFIX_SCRIPT });
    const older = resource(T.instance, "older", { imageId: IMAGES.belowHotfixRange });
    const run = await check([old, older, hotfix, previewInvocation("apply", hotfix, [older])]);
    const violations = main(run.violations);
    expect(violations.map((v) => v.urn)).toEqual([urnFor(old), urnFor(older)]);
    expect(violations[0].message).toContain(
      "its userData: it installs kernel-hotfix-4375449, which cannot fix kernel 4.19.91-18.al7",
    );
    expect(violations[1].message).toContain(
      "invocation 'apply' (command 'hotfix'): it installs kernel-hotfix-4375449, which cannot fix kernel 4.19.91-18.al7",
    );
    for (const v of violations) {
      expect(v.message).toContain("4.19.91-18.al7");
      expect(v.message).toMatch(/kernel update and a reboot/);
      expect(v.message).not.toContain("(2)");
    }
  });

  it("links thousands of invocations to instances in one pass (every instance covered, none missed)", async () => {
    const instances = Array.from({ length: 3000 }, (_, i) =>
      resource(T.instance, `i${i}`, { id: `i-${i}`, imageId: IMAGES.affectedHotfixable }),
    );
    const cmd = command("hotfix", HOTFIX_SCRIPT, { id: "c-1" });
    const invocations = Array.from({ length: 60 }, (_, b) =>
      deployedInvocation(`batch${b}`, cmd, instances.slice(b * 50, b * 50 + 50)),
    );
    const uncovered = resource(T.instance, "uncovered", { id: "i-x", imageId: IMAGES.affectedHotfixable });
    const run = await check([...instances, uncovered, cmd, ...invocations]);
    expect(mandatoryUrns(run.violations)).toEqual([urnFor(uncovered)]);
  });
});

describe("alinux2-overlayfs-dentry-leak and launch templates", () => {
  it("follows instances, scaling groups and auto provisioning groups to a template of the stack at preview", async () => {
    const template = resource(T.ecsLaunchTemplate, "tpl", {
      imageId: IMAGES.affectedHotfixable,
      launchTemplateName: "tpl",
    });
    const deps = { propertyDependencies: { launchTemplateId: [urnFor(template)] } };
    const instance = resource(T.instance, "from-tpl", { launchTemplateId: UNKNOWN }, deps);
    const group = resource(T.scalingGroup, "asg", { launchTemplateId: UNKNOWN }, deps);
    const apg = resource(T.autoProvisioningGroup, "apg", { launchTemplateId: UNKNOWN }, deps);
    const run = await check([template, instance, group, apg]);
    expect(mandatoryUrns(run.violations).sort()).toEqual([template, instance, group, apg].map(urnFor).sort());
    const viaTemplate = main(run.violations).find((v) => v.urn === urnFor(group));
    expect(viaTemplate?.message).toContain("through launch template 'tpl'");
  });

  it("follows a template by ID after deploy and by name", async () => {
    const template = resource(T.launchTemplate, "tpl", {
      id: "lt-1",
      imageId: IMAGES.affectedHotfixable,
      name: "legacy-tpl",
    });
    const byId = resource(T.instance, "by-id", { launchTemplateId: "lt-1" });
    const byName = resource(T.instance, "by-name", { launchTemplateName: "legacy-tpl" });
    const run = await check([template, byId, byName]);
    expect(mandatoryUrns(run.violations).sort()).toEqual([template, byId, byName].map(urnFor).sort());
  });

  it("takes the template's hotfix user data for the instances it launches, unless they set their own", async () => {
    const template = resource(T.ecsLaunchTemplate, "tpl", {
      imageId: IMAGES.affectedHotfixable,
      userData: base64(HOTFIX_SCRIPT),
    });
    const deps = { propertyDependencies: { launchTemplateId: [urnFor(template)] } };
    const inherits = resource(T.instance, "inherits", { launchTemplateId: UNKNOWN }, deps);
    const overrides = resource(
      T.instance,
      "overrides",
      { launchTemplateId: UNKNOWN, userData: UNRELATED_SCRIPT },
      deps,
    );
    const run = await check([template, inherits, overrides]);
    expect(mandatoryUrns(run.violations)).toEqual([urnFor(overrides)]);
  });

  it("reads hotfix user data under the deprecated userdata spelling of launch templates", async () => {
    for (const type of [T.launchTemplate, T.ecsLaunchTemplate]) {
      const template = resource(type, "tpl", { imageId: IMAGES.affectedHotfixable, userdata: base64(HOTFIX_SCRIPT) });
      expect(mandatoryUrns((await check([template])).violations)).toEqual([]);
    }
  });

  it("lets an instance's own image win over its template's", async () => {
    const template = resource(T.ecsLaunchTemplate, "tpl", { imageId: IMAGES.fixed });
    const own = resource(
      T.instance,
      "own",
      { imageId: IMAGES.affectedHotfixable, launchTemplateId: UNKNOWN },
      { propertyDependencies: { launchTemplateId: [urnFor(template)] } },
    );
    expect(mandatoryUrns((await check([template, own])).violations)).toEqual([urnFor(own)]);
  });
});

describe("alinux2-overlayfs-dentry-leak under preview unknowns", () => {
  it("keeps a known violation mandatory when unrelated properties are unknown", async () => {
    const web = resource(T.instance, "web", {
      imageId: IMAGES.affectedHotfixable,
      vswitchId: UNKNOWN,
      securityGroups: [UNKNOWN],
      tags: UNKNOWN,
    });
    expect(mandatoryUrns((await check([web])).violations)).toEqual([urnFor(web)]);
  });

  it("reports every known violation, then lets the engine's advisory stand for an unknown image", async () => {
    const first = resource(T.instance, "first", { imageId: IMAGES.affectedHotfixable });
    const pending = resource(T.instance, "pending", { imageId: UNKNOWN });
    const last = resource(T.instance, "last", { imageId: IMAGES.affectedHotfixable });
    const violations = main((await check([first, pending, last])).violations);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.urn)).toEqual([
      urnFor(first),
      urnFor(last),
    ]);
    const advisory = violations.filter((v) => v.enforcementLevel === "advisory");
    expect(advisory).toHaveLength(1);
    expect(advisory[0].message).toMatch(
      /^can't run policy 'alinux2-overlayfs-dentry-leak' .* during preview: 1 verdict waits? for values unknown at preview: ECS instance 'pending' \(imageId\)\./,
    );
  });

  it("names every resource and property that kept a verdict open in the one deferral", async () => {
    const a = resource(T.instance, "a", { imageId: UNKNOWN });
    const pool = resource(T.nodePool, "pool", { imageId: IMAGES.fixed, upgradePolicy: { imageId: UNKNOWN } });
    const [advisory, ...rest] = main((await check([a, pool])).violations);
    expect(rest).toEqual([]);
    expect(advisory.enforcementLevel).toBe("advisory");
    expect(advisory.message).toContain(
      "2 verdicts wait for values unknown at preview: ECS instance 'a' (imageId), ACK node pool 'pool' (upgradePolicy.imageId).",
    );
  });

  it("blocks an affected instance whose hotfix user data is unknown at preview, naming the property and the ways out", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable, userData: secret(UNKNOWN) });
    const [violation, ...rest] = main((await check([web])).violations);
    expect(rest).toEqual([]);
    expect(violation.enforcementLevel).toBe("mandatory");
    expect(violation.urn).toBe(urnFor(web));
    expect(violation.message).toContain("Not a mitigation: userData of ECS instance 'web' is not known at preview");
    expect(violation.message).toMatch(/Cloud Assistant invocation.*exemption.*unknownMitigations to "defer"/s);
  });

  it('with unknownMitigations "defer", leaves that verdict to the engine, naming resource and property', async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable, userData: UNKNOWN });
    const config = { "alinux2-overlayfs-dentry-leak": { unknownMitigations: "defer" } };
    const violations = main((await check([web], config)).violations);
    expect(violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(violations[0].message).toContain("ECS instance 'web' (userData)");
  });

  it("blocks when the command an invocation runs is unknown, naming the command", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable });
    const cmd = resource(T.command, "hotfix", { name: "hotfix", type: "RunShellScript", commandContent: UNKNOWN });
    const inv = previewInvocation("inv", cmd, [web]);
    const [violation] = main((await check([web, cmd, inv])).violations);
    expect(violation.enforcementLevel).toBe("mandatory");
    expect(violation.message).toContain(
      "commandContent of command 'hotfix', run by Cloud Assistant invocation 'inv' is not known at preview",
    );
  });

  it("rejects an unknownMitigations value outside the contract", async () => {
    await expect(check([], { "alinux2-overlayfs-dentry-leak": { unknownMitigations: "warn" } })).rejects.toThrow(
      /unknownMitigations/,
    );
  });

  it("does not read anything of a fixed-image instance but its image", async () => {
    const fixed = resource(T.instance, "fixed", {
      imageId: IMAGES.fixed,
      userData: UNKNOWN,
      launchTemplateId: UNKNOWN,
    });
    expect(main((await check([fixed])).violations)).toEqual([]);
  });
});

describe("alinux2-overlayfs-dentry-leak config", () => {
  const custom = resource(T.instance, "custom", { imageId: "m-bp1customimage" });

  it("judges custom images by the kernel declared in imageKernels", async () => {
    expect(main((await check([custom])).violations)).toEqual([]);
    const declared = {
      "alinux2-overlayfs-dentry-leak": { imageKernels: { "m-bp1customimage": "4.19.91-21.al7.x86_64" } },
    };
    const [violation] = main((await check([custom], declared)).violations);
    expect(violation.urn).toBe(urnFor(custom));
    expect(violation.message).toContain("declared in the policy pack config");
    expect(violation.message).not.toContain("same variant");
    const fixedDeclared = {
      "alinux2-overlayfs-dentry-leak": { imageKernels: { "m-bp1customimage": "kernel-4.19.91-24.al7" } },
    };
    expect(main((await check([custom], fixedDeclared)).violations)).toEqual([]);
  });

  it("silences a resource by a valid exemption (URN or name glob) and brings it back, saying so, once expired", async () => {
    const web = resource(T.instance, "web-1", { imageId: IMAGES.affectedHotfixable });
    const api = resource(T.instance, "api-1", { imageId: IMAGES.affectedHotfixable });
    const exemptions = [
      { resource: "web-*", reason: "vendor appliance, migration ticket OPS-1", expires: "2026-11-27" },
      { resource: `${urnFor(api)}`, reason: "pending rebuild", expires: "2026-11-26" },
    ];
    const run = await check([web, api], { "alinux2-overlayfs-dentry-leak": { exemptions } });
    const violations = main(run.violations);
    expect(violations.map((v) => v.urn)).toEqual([urnFor(api)]);
    expect(violations[0].message).toContain(
      "An exemption for this resource expired on 2026-11-26 (reason: pending rebuild)",
    );
  });

  it("an exempted resource whose hotfix user data is unknown at preview holds up no verdict", async () => {
    const exempt = resource(T.instance, "web-1", { imageId: IMAGES.affectedHotfixable, userData: UNKNOWN });
    const blocked = resource(T.instance, "api-1", { imageId: IMAGES.affectedHotfixable });
    const exemptions = [
      { resource: "web-*", reason: "vendor appliance, migration ticket OPS-1", expires: "2999-12-31" },
    ];
    const violations = main(
      (await check([exempt, blocked], { "alinux2-overlayfs-dentry-leak": { exemptions } })).violations,
    );
    expect(violations.map((v) => [v.urn, v.enforcementLevel])).toEqual([[urnFor(blocked), "mandatory"]]);
  });

  it("leaves an impossible expiry date to the engine, which rejects it as not a date", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable });
    const exemptions = [{ resource: "web", reason: "x", expires: "2026-02-30" }];
    await expect(check([web], { "alinux2-overlayfs-dentry-leak": { exemptions } })).rejects.toThrow(
      /expires: Does not match format 'date'/,
    );
  });

  it("rejects config the engine would reject: empty reason, missing expiry, malformed kernel", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable });
    await expect(
      check([web], {
        "alinux2-overlayfs-dentry-leak": { exemptions: [{ resource: "web", reason: "", expires: "2027-01-01" }] },
      }),
    ).rejects.toThrow(/alinux2-overlayfs-dentry-leak/);
    await expect(
      check([web], { "alinux2-overlayfs-dentry-leak": { exemptions: [{ resource: "web", reason: "r" }] } }),
    ).rejects.toThrow(/expires/);
    await expect(
      check([web], { "alinux2-overlayfs-dentry-leak": { imageKernels: { "m-1": "latest" } } }),
    ).rejects.toThrow(/imageKernels|m-1/);
  });

  it("follows the engine's enforcement levels: advisory, disabled and the 'all' key", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable });
    expect(
      main((await check([web], { "alinux2-overlayfs-dentry-leak": "advisory" })).violations)[0].enforcementLevel,
    ).toBe("advisory");
    expect(main((await check([web], { "alinux2-overlayfs-dentry-leak": "disabled" })).violations)).toEqual([]);
    expect(main((await check([web], { all: "advisory" })).violations)[0].enforcementLevel).toBe("advisory");
  });
});

describe("alinux2-overlayfs-dentry-leak on a surface with several images", () => {
  it("reads a release-pinned hotfix per kernel: it mitigates the image it pins, not the upgrade image of another kernel", async () => {
    const pinned = "#!/bin/bash\nyum install -y kernel-hotfix-4375449-22.2.al7.x86_64\n";
    const pool = resource(T.nodePool, "np", {
      imageId: IMAGES.affectedHotfixable,
      upgradePolicy: { imageId: "aliyun_2_1903_x64_20G_alibase_20200904.vhd" },
      userData: pinned,
    });
    const violations = main((await check([pool])).violations);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toContain("(upgradePolicy.imageId)");
    expect(violations[0].message).toContain("installs kernel-hotfix-4375449 for another kernel's release");
  });
});

describe.each([
  ["alinux2-released-inode-crash", "272587"],
  ["alinux2-page-fault-crash", "277447"],
] as const)("%s (knowledge base %s): a policy from a data row", (name, kb) => {
  const advisory = getAdvisory(name);
  const policy = createAdvisoryPolicy(advisory, context);
  const of = (violations: Violation[]) => violations.filter((v) => v.policyName === name);

  it("is an advisory, high-severity stack policy with the contract name, linked to its knowledge-base page", () => {
    expect(policy).toMatchObject({ name, enforcementLevel: "advisory", severity: "high" });
    expect(typeof policy.validateStack).toBe("function");
    expect(policy.framework?.version).toBe(kb);
    expect(policy.framework?.reference).toBe(advisory.urls.zh);
    expect(policy.url).toMatch(/^https:\/\//);
    expect(policy.description).toContain("4.19.91-23.al7");
    expect(policy.description).toMatch(/^[A-Z].*\.$/s);
  });

  it("remediates with a fixed image past every advisory and the kernel route; never a hotfix", () => {
    const steps = policy.remediationSteps ?? "";
    expect(steps).toContain("aliyun_2_1903_x64_20G_alibase_20210630.vhd");
    expect(steps).toContain("kernel 4.19.91-24.al7 or later");
    expect(steps).toContain("yum update -y kernel");
    expect(steps).toContain("INFERRED");
    expect(steps).not.toContain("kernel-hotfix");
  });

  it("reports the 2021-03-25 image (kernel 4.19.91-23.al7) as advisory; the OverlayFS policy passes it", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.overlayfsFixedOnly });
    const { violations } = await check([web]);
    expect(main(violations)).toEqual([]);
    expect(of(violations)).toMatchObject([{ enforcementLevel: "advisory", severity: "high", urn: urnFor(web) }]);
    expect(of(violations)[0].message).toContain("kernel 4.19.91-23.al7");
    expect(of(violations)[0].message).toContain(
      "use fixed image aliyun_2_1903_x64_20G_alibase_20210630.vhd or Alibaba Cloud Linux 3",
    );
    expect(of(violations)[0].message).toContain("or yum update -y kernel and a reboot at provisioning (INFERRED).");
  });

  it("is mandatory when the config says so, and an exemption silences it like the main policy", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.overlayfsFixedOnly });
    const mandatory = await check([web], { [name]: { enforcementLevel: "mandatory" } });
    expect(of(mandatory.violations).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    const exempted = await check([web], {
      [name]: { exemptions: [{ resource: "web", reason: "ticket OPS-9", expires: "2099-01-01" }] },
    });
    expect(of(exempted.violations)).toEqual([]);
  });

  it("does not count the OverlayFS hotfix: it fixes another bug", async () => {
    const web = resource(T.instance, "web", { imageId: IMAGES.affectedHotfixable, userData: base64(HOTFIX_SCRIPT) });
    const { violations } = await check([web]);
    expect(main(violations)).toEqual([]);
    expect(of(violations)).toHaveLength(1);
  });

  it("passes images past every advisory and other operating systems", async () => {
    const { violations } = await check([
      resource(T.instance, "fixed", { imageId: IMAGES.fixed }),
      resource(T.instance, "alinux3", { imageId: IMAGES.alinux3 }),
    ]);
    expect(of(violations)).toEqual([]);
  });
});
