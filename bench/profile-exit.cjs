// Preloaded (`--require`) into a pack started with `--cpu-prof` by `npm run bench -- --cpu-prof`:
// the harness stops packs with SIGTERM, which would skip Node's exit hooks and lose the profile.
"use strict";
process.on("SIGTERM", () => process.exit(0));
