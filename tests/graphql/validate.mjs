// SPDX-License-Identifier: GPL-3.0-or-later
//
// Validates GraphQL documents against a schema introspection result with
// graphql-js, so no document OmniStock sends can drift from the real API.
//
// Usage: node validate.mjs SCHEMA.json[.gz] DOCUMENT.graphql...
// Prints TAP; exits 0 when every document is valid, 1 otherwise.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(process.env.OMNI_GRAPHQL_MODULES
  ? process.env.OMNI_GRAPHQL_MODULES + '/'
  : import.meta.url);
const { buildClientSchema, parse, validate, Kind, visit } = require('graphql');

const [schemaPath, ...documents] = process.argv.slice(2);
if (!schemaPath || documents.length === 0) {
  console.error('Usage: node validate.mjs SCHEMA.json[.gz] DOCUMENT.graphql...');
  process.exit(2);
}

let raw = readFileSync(schemaPath);
if (schemaPath.endsWith('.gz'))
  raw = gunzipSync(raw);
const introspection = JSON.parse(raw.toString('utf8'));
const schema = buildClientSchema(introspection.data ?? introspection);

let failed = 0;
console.log(`1..${documents.length}`);
documents.forEach((path, i) => {
  const problems = [];
  let doc;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(e.message);
  }
  if (doc) {
    for (const e of validate(schema, doc))
      problems.push(e.message + (e.locations ? ` (line ${e.locations[0].line})` : ''));
    const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length !== 1)
      problems.push(`expected exactly one operation, found ${ops.length}`);
    for (const op of ops) {
      if (!op.name)
        problems.push('the operation has no name');
      // Since 2026-04 inventorySetQuantities requires an idempotency key.
      if (op.operation === 'mutation') {
        visit(op, {
          Field(node) {
            if (!node.directives?.some((d) => d.name.value === 'idempotent'))
              if (op.selectionSet.selections.includes(node))
                problems.push(`mutation field ${node.name.value} has no @idempotent(key:)`);
          },
        });
      }
    }
  }
  if (problems.length === 0) {
    console.log(`ok ${i + 1} ${basename(path)}`);
  } else {
    failed++;
    console.log(`not ok ${i + 1} ${basename(path)}`);
    for (const p of problems)
      console.log(`# ${basename(path)}: ${p}`);
  }
});
process.exit(failed ? 1 : 0);
