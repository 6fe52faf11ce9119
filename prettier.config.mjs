// Prettier: the style the code is written in. 120 columns (the width its comments and docs are wrapped at), double
// quotes, semicolons, trailing commas, parentheses around a single arrow parameter. All but the width are Prettier's
// defaults; they are spelled out so the choice is visible. What it leaves alone: .prettierignore.
/** @type {import("prettier").Config} */
export default {
  printWidth: 120,
  singleQuote: false,
  semi: true,
  trailingComma: "all",
  arrowParens: "always",
};
