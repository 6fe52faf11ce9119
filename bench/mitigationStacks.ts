// Stacks for the two mitigation-reading rows of `npm run bench`: many launch surfaces, each with its own user data
// to read, and one instance targeted by very many Cloud Assistant invocations. Deterministic, preview-shaped.
import { gzipSync } from "node:zlib";
import type { StackResourceInput } from "../tools/engine/requests";
import { unknown } from "../tools/engine/sentinels";

const AFFECTED_HOTFIXABLE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
const FIX = `yum install -y kernel-hotfix-4375449-$(uname -r | awk -F"-" '{print $NF}')`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

/** Shell lines that set a machine up (and do not touch the kernel), to pad a script to its size. */
function filler(i: number, bytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const line =
      n % 3 === 0
        ? `mkdir -p /opt/app/d${i}-${n} && echo "node ${i} step ${n}" >> /var/log/setup.log`
        : n % 3 === 1
          ? `cp /etc/app/${i}.conf /opt/app/d${i}-${n - 1}/ || true`
          : `systemctl restart app-${n} || echo "restart ${n} failed"`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines;
}

/**
 * User data number i, 2–8 KiB before encoding: eight kinds in turn — shell with the hotfix, shell installing other
 * packages, #cloud-config runcmd with the hotfix, #cloud-config packages without it, MIME (Base64 shell part) with
 * it, MIME without, Base64 shell without, Base64 shell updating packages without a reboot. 3 in 8 carry the hotfix.
 */
export function userDataNumber(i: number): string {
  const bytes = 2048 + ((i * 2654435761) % 6144);
  const pad = filler(i, bytes);
  const shell = (withFix: boolean, extra = "yum install -y nginx") =>
    ["#!/bin/bash", "set -eu", ...pad, extra, ...(withFix ? [FIX] : [])].join("\n") + "\n";
  const cloudConfig = (withFix: boolean) =>
    [
      "#cloud-config",
      "packages:",
      "  - nginx",
      "runcmd:",
      ...pad.slice(0, Math.floor(pad.length / 2)).map((l) => `  - ${JSON.stringify(l)}`),
      ...(withFix ? [`  - ${JSON.stringify(FIX)}`] : []),
    ].join("\n") + "\n";
  const mime = (withFix: boolean) =>
    [
      'Content-Type: multipart/mixed; boundary="==B=="',
      "MIME-Version: 1.0",
      "",
      "--==B==",
      "Content-Type: text/cloud-config",
      "",
      "#cloud-config",
      "package_update: true",
      "--==B==",
      "Content-Type: text/x-shellscript",
      "Content-Transfer-Encoding: base64",
      "",
      b64(shell(withFix)),
      "--==B==--",
      "",
    ].join("\n");
  switch (i % 8) {
    case 0:
      return shell(true);
    case 1:
      return shell(false);
    case 2:
      return cloudConfig(true);
    case 3:
      return cloudConfig(false);
    case 4:
      return mime(true);
    case 5:
      return mime(false);
    case 6:
      return b64(shell(false));
    default:
      return b64(gzipSync(shell(false, "yum update -y")));
  }
}

/** `size` ECS instances on an affected (hotfixable) image, each with its own user data. */
export function userDataStack(size: number): StackResourceInput[] {
  return Array.from({ length: size }, (_, i) => ({
    type: "alicloud:ecs/instance:Instance",
    name: `ud-${i}`,
    props: { id: unknown(), imageId: AFFECTED_HOTFIXABLE, instanceType: "ecs.g7.large", userData: userDataNumber(i) },
  }));
}

/**
 * One instance on an affected image and `count` invocations targeting it at preview: half run a command that
 * installs something else, half are scheduled; the last one runs the hotfix command.
 */
export function invocationFanInStack(count: number): StackResourceInput[] {
  const instance: StackResourceInput = {
    type: "alicloud:ecs/instance:Instance",
    name: "target",
    props: { id: unknown(), imageId: AFFECTED_HOTFIXABLE },
  };
  const command = (name: string, script: string): StackResourceInput => ({
    type: "alicloud:ecs/command:Command",
    name,
    props: { id: unknown(), name, type: "RunShellScript", commandContent: b64(script), timeout: 1800 },
  });
  const fix = command("fix", `#!/bin/bash\n${FIX}\n`);
  const other = command("other", "#!/bin/bash\nyum install -y nginx\n");
  const invocations = Array.from({ length: count }, (_, i): StackResourceInput => {
    const cmd = i === count - 1 ? fix : other;
    return {
      type: "alicloud:ecs/ecsInvocation:EcsInvocation",
      name: `inv-${i}`,
      props: {
        id: unknown(),
        instanceIds: [unknown()],
        commandId: unknown(),
        repeatMode: i % 2 && i !== count - 1 ? "EveryReboot" : "Once",
      },
      dependencies: [instance, cmd],
      propertyDependencies: { instanceIds: [instance], commandId: [cmd] },
    };
  });
  return [instance, fix, other, ...invocations];
}
