#!/usr/bin/env node
// Renders docs/config-reference.md from the server's zod config schema (apps/server/src/config/config-schema.ts).
// Keys, types, defaults and constraints come from `z.toJSONSchema`; descriptions come from the doc
// comments on the schema's properties (read with the TypeScript compiler API), so the reference
// changes only when the schema does. Run with `pnpm docs:config`; `--check` exits 1 when the
// committed file is stale (the test in examples/provider-example does the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = `${root}apps/server/src/config/config-schema.ts`;
export const referenceFile = `${root}docs/config-reference.md`;

/** Doc comments of the schema's object-literal properties, by dotted path (`server.port`). */
function docComments() {
  const source = ts.createSourceFile(schemaFile, readFileSync(schemaFile, 'utf8'), ts.ScriptTarget.Latest, true);
  const docs = new Map();
  const text = (node) =>
    ts
      .getJSDocCommentsAndTags(node)
      .map((doc) => (typeof doc.comment === 'string' ? doc.comment : (ts.getTextOfJSDocComment(doc.comment) ?? '')))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  const visit = (node, path) => {
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (!ts.isPropertyAssignment(property) || !property.name || !('text' in property.name)) continue;
        const next = [...path, property.name.text];
        const comment = text(property);
        if (comment) docs.set(next.join('.'), comment);
        visit(property.initializer, next);
      }
      return;
    }
    ts.forEachChild(node, (child) => visit(child, path));
  };
  source.forEachChild((statement) => {
    if (!ts.isVariableStatement(statement)) return;
    for (const declaration of statement.declarationList.declarations) {
      const name = declaration.name.getText(source);
      if (name === 'configSchema' && declaration.initializer) visit(declaration.initializer, []);
      // The cloud block is shared by aws/kubernetes/google/azure; its keys are documented under `<cloud>`.
      if (name === 'cloudBlockSchema' && declaration.initializer) visit(declaration.initializer, ['<cloud>']);
      if (name === 'configSchema' || name === 'cloudBlockSchema') {
        const comment = text(statement);
        if (comment) docs.set(name === 'configSchema' ? '' : '<cloud>', comment);
      }
    }
  });
  return docs;
}

function typeOf(schema) {
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`;
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object' &&
    Object.keys(schema.additionalProperties).length > 0
  ) {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  return schema.type ?? 'any';
}

function constraints(schema) {
  const parts = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength) parts.push('non-empty');
  if (schema.type === 'array' && schema.items?.minLength) parts.push('non-empty entries');
  return parts.join(', ');
}

const cell = (value) => String(value).replace(/\|/g, '\\|');

/** One table row per leaf key (objects with own properties are expanded). */
function rows(schema, path, docs, out) {
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(properties)) {
    const childPath = [...path, key];
    const name = childPath.join('.');
    const docKey = path[0] && ['aws', 'kubernetes', 'google', 'azure'].includes(path[0]) ? ['<cloud>', ...childPath.slice(1)].join('.') : name;
    const nested = child.type === 'object' && child.properties && Object.keys(child.properties).length > 0;
    const open = child.type === 'object' && child.additionalProperties !== undefined && child.additionalProperties !== false;
    if (nested) {
      if (docs.get(docKey) || open) {
        out.push([name, 'object', '', [docs.get(docKey), open ? 'Other keys are passed through to whoever reads this block.' : ''].filter(Boolean).join(' ')]);
      }
      rows(child, childPath, docs, out);
      continue;
    }
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    const notes = [docs.get(docKey) ?? '', constraints(child) ? `(${constraints(child)})` : ''].filter(Boolean).join(' ');
    out.push([name, typeOf(child), fallback, notes]);
  }
  return out;
}

/** The markdown of docs/config-reference.md. */
export async function renderConfigReference() {
  const require = createRequire(`${root}apps/server/package.json`);
  const { z } = await import(pathToFileURL(require.resolve('zod')).href);
  // The schema composes the store packages' sections, so it loads their (decorated, tsyringe) code.
  await import(pathToFileURL(require.resolve('reflect-metadata')).href);
  const { configSchema } = await import(pathToFileURL(schemaFile).href);
  const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  const docs = docComments();
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated by `pnpm docs:config` from apps/server/src/config/config-schema.ts. Do not edit by hand. -->',
    '',
    docs.get('') ?? '',
    '',
    "Every key is optional; the default applies when it is absent. Spring's kebab-case spellings",
    "(`caching.write-enabled`) are accepted for Stratus's own sections. Any value may use `${ENV}` or",
    '`${ENV:-default}`, and `STRATUS__<path>` environment variables override keys',
    '(`STRATUS__server__port=8080`). See the [operator guide](operator-guide.md) for how the pieces fit.',
    '',
  ];
  for (const [section, schema] of Object.entries(json.properties)) {
    lines.push(`## \`${section}\``, '');
    // A section composed from a package (the stores' `redis`, `sql`) carries its description in its schema.
    const intro = docs.get(section) ?? (['aws', 'kubernetes', 'google', 'azure'].includes(section) ? docs.get('<cloud>') : undefined) ?? schema.description;
    if (intro) lines.push(intro, '');
    const table =
      schema.type === 'object' && schema.properties && Object.keys(schema.properties).length > 0
        ? rows(schema, [section], docs, [])
        : [
            [
              section,
              typeOf(schema),
              schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``,
              constraints(schema) ? `(${constraints(schema)})` : '',
            ],
          ];
    if (schema.type === 'object' && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      lines.push('Further keys of this block are read by the component that owns it (see its documentation).', '');
    }
    lines.push('| key | type | default | description |', '| --- | --- | --- | --- |');
    for (const row of table) lines.push(`| \`${row[0]}\` | ${cell(row[1])} | ${cell(row[2])} | ${cell(row[3])} |`);
    lines.push('');
  }
  lines.push(
    '## Provider blocks',
    '',
    'Unknown top-level keys are kept: they are the blocks of providers listed under `providers`',
    '(e.g. `nimbus:` for `@acme/stratus-provider-example`). Each provider validates its own block and',
    'reports bad fields with the account name.',
    '',
  );
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rendered = await renderConfigReference();
  if (process.argv.includes('--check')) {
    const current = readFileSync(referenceFile, 'utf8');
    if (current !== rendered) {
      process.stderr.write('docs/config-reference.md is stale; run `pnpm docs:config`\n');
      process.exit(1);
    }
  } else {
    writeFileSync(referenceFile, rendered);
    process.stdout.write(`wrote ${referenceFile.slice(root.length)}\n`);
  }
}
