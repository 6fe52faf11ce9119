// ESLint for the whole repository: `npm run lint` (then `prettier --check`). typescript-eslint's
// recommended-type-checked rules, with type information from the tsconfig nearest each file (projectService):
// policies/tsconfig.json for the pack (policies/src, policies/index.ts, policies/library.ts), tsconfig.json for the
// rest (companion, cli, reports, stand-in, bench, scripts, test, examples, tools, index.ts). A TypeScript file in
// neither tsconfig's "include" is an error ("not found by the project service"): add its folder there.
// Formatting is Prettier's alone: eslint-config-prettier (last) turns off every rule it would fight.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // Build output, generated code, and what runs leave behind (all git-ignored or generated).
    ignores: [
      "**/node_modules/",
      "policies/bin/",
      "companion/generated/",
      ".pulumi-e2e/",
      "bench/results/",
      "policies/.bench-baseline/",
      "policies/.bench-replay/",
      "demo-reports/",
      "coverage/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Leaving a key out by destructuring (`const { variant: _variant, ...rest } = x`) is how the code copies an
      // object without one property; the named key is unused by design.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript (bin shims, CI glue, these configs) is not in a tsconfig: no type information to check with.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS files: require() is how they import.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // vitest's asymmetric matchers (expect.stringContaining, expect.any, …) are typed `any`: putting one into an
    // expected object is an "unsafe assignment" by type alone. The other no-unsafe-* rules stay on, so an `any` that
    // a spec then reads, calls or passes on is still reported.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  prettier,
);
