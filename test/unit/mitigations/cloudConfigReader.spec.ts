import { describe, expect, it } from "vitest";
import { readCloudConfig } from "../../../policies/src/mitigations/cloudConfigReader";

const read = async (yaml: string) => {
  const r = await readCloudConfig(yaml);
  return r.state === "runs" ? { effects: r.effects.map((e) => `${e.kind}@${e.origin}`), notes: r.notes } : r;
};

describe("readCloudConfig", () => {
  it("reads bootcmd, packages, package_upgrade, runcmd and power_state in cloud-init's order", async () => {
    const doc =
      "#cloud-config\nruncmd:\n  - yum install -y a\n  - [yum, install, -y, 'b c']\npackages: [p, [q, '1.0']]\npackage_upgrade: true\nbootcmd:\n  - yum install -y boot\npower_state:\n  mode: reboot\n";
    expect(await read(doc)).toEqual({
      effects: [
        "install@bootcmd",
        "update@package_upgrade",
        "install@packages",
        "install@runcmd",
        "install@runcmd",
        "reboot@power_state",
      ],
      notes: [],
    });
  });

  it("keeps argv entries as single words", async () => {
    const r = await readCloudConfig("#cloud-config\nruncmd:\n  - [yum, install, -y, 'a b']\n");
    expect(r.state === "runs" && r.effects[0].kind === "install" && r.effects[0].packages).toEqual([
      [{ kind: "text", text: "a b" }],
    ]);
  });

  it("says write_files only writes and package_reboot_if_required does not reboot", async () => {
    expect(
      await read(
        "#cloud-config\nwrite_files:\n  - path: /x\n    content: yum install -y a\npackage_reboot_if_required: true\n",
      ),
    ).toEqual({
      effects: [],
      notes: [
        "files in write_files are only written, not run",
        expect.stringContaining("package_reboot_if_required does not reboot"),
      ],
    });
  });

  it("reads the document as cloud-init does: YAML 1.1 with PyYAML's booleans, switches as translate_bool takes them", async () => {
    const upgrades = async (value: string, key = "package_upgrade") =>
      (await read(`#cloud-config\n${key}: ${value}\n`)) as { effects: string[] };
    for (const value of ["true", "yes", "Yes", "on", "ON", "True", '"yes"', "'on'", "1", '" TRUE "'])
      expect((await upgrades(value)).effects, value).toEqual(["update@package_upgrade"]);
    for (const value of ["false", "no", "off", "y", "n", "Y", "0", '""', "2", "[yes]"])
      expect((await upgrades(value)).effects, value).toEqual([]);
    expect((await upgrades("on", "apt_upgrade")).effects).toEqual(["update@apt_upgrade"]);
    // YAML 1.1 integers: 010 is octal (8), as PyYAML reads it; an argv boolean is str()'d to True.
    const argv = await readCloudConfig("#cloud-config\nruncmd:\n  - [yum, install, -y, 010, yes]\n");
    expect(argv.state === "runs" && argv.effects[0].kind === "install" && argv.effects[0].packages).toEqual([
      [{ kind: "text", text: "8" }],
      [{ kind: "text", text: "True" }],
    ]);
  });

  it("counts a power_state reboot only when its condition is absent or true", async () => {
    const reboot = (extra: string) => read(`#cloud-config\npower_state:\n  mode: reboot\n${extra}`);
    expect(await reboot("")).toEqual({ effects: ["reboot@power_state"], notes: [] });
    expect(await reboot("  condition: yes\n")).toEqual({ effects: ["reboot@power_state"], notes: [] });
    for (const condition of ["false", "off", "test -f /var/run/needs-reboot", "[test, -f, /x]"])
      expect(await reboot(`  condition: ${condition}\n`), condition).toEqual({
        effects: [],
        notes: ["power_state has a condition: its reboot is not counted"],
      });
  });

  it("says invalid YAML or a non-mapping cannot be read", async () => {
    expect(await readCloudConfig("#cloud-config\nruncmd: [\n")).toEqual({
      state: "cannot-be-read",
      reason: "its #cloud-config is not valid YAML",
    });
    expect(await readCloudConfig("#cloud-config\n- a\n")).toEqual({
      state: "cannot-be-read",
      reason: "its #cloud-config is not a YAML mapping",
    });
    expect(await readCloudConfig("#cloud-config\na: &a [*a]\n")).toMatchObject({
      state: expect.stringMatching(/cannot-be-read|runs/),
    });
  });
});
