// Checks an OpenAPI document with two independent third-party tools; exits 1 on any error.
//   node check.mjs openapi.json
// 1. @seriousme/openapi-schema-validator: the document against the official OpenAPI 3.1 schema.
// 2. @redocly/openapi-core: Redocly's lint with its `recommended` rules (what `redocly lint`
//    runs). Warnings are printed; errors fail.
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createConfig, lintFromString } from "@redocly/openapi-core";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check.mjs openapi.json");
  process.exit(2);
}
const source = await readFile(file, "utf8");

const validator = new Validator();
const validation = await validator.validate(JSON.parse(source));
let failed = false;
if (!validation.valid || validator.version !== "3.1") {
  failed = true;
  console.error(`not a valid OpenAPI 3.1 document (version ${validator.version}):`);
  console.error(JSON.stringify(validation.errors, null, 2));
} else {
  console.log("valid OpenAPI 3.1");
}

const config = await createConfig({ extends: ["recommended"] });
const problems = await lintFromString({ source, absoluteRef: file, config });
let errors = 0;
let warnings = 0;
for (const p of problems) {
  const where = p.location?.[0]?.pointer ?? "";
  if (p.severity === "error") errors++;
  else warnings++;
  console.log(`${p.severity} ${p.ruleId} ${where}: ${p.message}`);
}
console.log(`redocly lint (recommended): ${errors} errors, ${warnings} warnings`);
if (errors > 0) failed = true;
process.exit(failed ? 1 : 0);
