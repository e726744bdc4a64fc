import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** Exported declarations and their members that carry no doc comment, as `file: Name.member`. */
function undocumented(): string[] {
  const missing: string[] = [];
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')) {
    const source = ts.createSourceFile(file, readFileSync(`${srcDir}/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
    for (const statement of source.statements) {
      if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      const name = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.map((d) => d.name.getText(source)).join(',')
        : ((statement as ts.DeclarationStatement).name?.getText(source) ?? '?');
      if (!documented(statement)) missing.push(`${file}: ${name}`);
      if (ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (member.name && !ts.isConstructorDeclaration(member) && !documented(member)) missing.push(`${file}: ${name}.${member.name.getText(source)}`);
        }
      }
    }
  }
  return missing;
}

describe('@stratus/plugin-api documentation', () => {
  it('has a TSDoc comment on every export and every member of an exported interface or class', () => {
    expect(undocumented()).toEqual([]);
  });
});
