// The companion stack's program lives in companion/index.ts (companion/ is its own Pulumi project); this root entry
// keeps `pulumi up` at the repository root (Pulumi.yaml beside it) and `import "<repo>/index"` working.
export * from "./companion/index";
