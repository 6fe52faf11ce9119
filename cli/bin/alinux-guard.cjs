#!/usr/bin/env node
// The `alinux-guard` command (package.json "bin"): `npx alinux-guard check|report …` after the root `npm ci`.
// The commands are TypeScript; tsx (a dependency of this repository) compiles them on load, as for the other scripts.
"use strict";
require("tsx/cjs/api").register();
require("../main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
