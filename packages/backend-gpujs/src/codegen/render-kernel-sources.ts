import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Where the kernel functions live, and the file this renders. */
export const KERNELS_DIR = fileURLToPath(new URL('../kernels/', import.meta.url));
/** The generated file, next to the kernels that import it. */
export const GENERATED_FILE = join(KERNELS_DIR, 'kernel-sources.generated.ts');
const DEVICE_TABLE = join(KERNELS_DIR, 'device-functions.ts');
const DEVICE_TABLE_NAME = 'DEVICE_HELPERS';

/** A function declaration with a name. */
type NamedFunction = ts.FunctionDeclaration & { readonly name: ts.Identifier };

/** A kernel function: a function declaration whose first parameter is `this: KernelThis<…>`. */
function isKernel(node: ts.Node): node is NamedFunction {
  if (!ts.isFunctionDeclaration(node) || node.name === undefined) return false;
  const first = node.parameters[0];
  return first !== undefined && ts.isIdentifier(first.name) && first.name.text === 'this'
    && first.type !== undefined && ts.isTypeReferenceNode(first.type) && ts.isIdentifier(first.type.typeName) && first.type.typeName.text === 'KernelThis';
}

/**
 * `fn` as plain JavaScript named `name`: no modifiers, no types (the `this` parameter and the `!`
 * assertions go), no comments. TypeScript's printer and transpiler make it, so the text depends on
 * the TypeScript version only, never on a bundler.
 */
function toJavaScript(fn: ts.FunctionDeclaration, name: string): string {
  const bare = ts.factory.updateFunctionDeclaration(fn, undefined, fn.asteriskToken, ts.factory.createIdentifier(name), fn.typeParameters, fn.parameters, fn.type, fn.body);
  const typed = ts.createPrinter({ removeComments: true }).printNode(ts.EmitHint.Unspecified, bare, fn.getSourceFile());
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true, verbatimModuleSyntax: false };
  return ts.transpileModule(typed, { compilerOptions: options }).outputText.trim();
}

/** Every kernel function of `src/kernels`, file by file (sorted), in the order each file declares them. */
function kernelFunctions(): [string, string][] {
  const files = readdirSync(KERNELS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.generated.ts')).sort();
  return files.flatMap((file) => {
    const path = join(KERNELS_DIR, file);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    return source.statements.filter(isKernel).map((fn): [string, string] => [fn.name.text, toJavaScript(fn, fn.name.text)]);
  });
}

/** The object literal `DEVICE_HELPERS` is initialised with, under any `as const` or `satisfies`. */
function objectLiteral(expression: ts.Expression): ts.ObjectLiteralExpression {
  if (ts.isObjectLiteralExpression(expression)) return expression;
  if (ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression) || ts.isParenthesizedExpression(expression)) return objectLiteral(expression.expression);
  throw new Error(`${DEVICE_TABLE_NAME} in ${DEVICE_TABLE} must be an object literal of functions`);
}

/**
 * Every device helper of `DEVICE_HELPERS` in `device-functions.ts`, renamed to the name kernels call
 * it by: the type checker follows each entry to the function it names (in `@rnn/tensor`'s sources).
 */
function deviceFunctions(): [string, string][] {
  const program = ts.createProgram([DEVICE_TABLE], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@rnn/source'],
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const table = program.getSourceFile(DEVICE_TABLE)?.statements
    .filter(ts.isVariableStatement)
    .flatMap((s) => s.declarationList.declarations)
    .find((d) => ts.isIdentifier(d.name) && d.name.text === DEVICE_TABLE_NAME);
  if (table?.initializer === undefined) throw new Error(`${DEVICE_TABLE} has no ${DEVICE_TABLE_NAME}`);
  return objectLiteral(table.initializer).properties.map((property): [string, string] => {
    const name = property.name !== undefined && ts.isIdentifier(property.name) ? property.name.text : '';
    let symbol = ts.isShorthandPropertyAssignment(property)
      ? checker.getShorthandAssignmentValueSymbol(property)
      : ts.isPropertyAssignment(property) ? checker.getSymbolAtLocation(property.initializer) : undefined;
    if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (name === '' || declaration === undefined || !ts.isFunctionDeclaration(declaration)) {
      throw new Error(`${DEVICE_TABLE_NAME}.${name || '?'} in ${DEVICE_TABLE} must name a function declaration`);
    }
    return [name, toJavaScript(declaration, name)];
  });
}

/** `text` inside a template literal. */
function templateLiteral(text: string): string {
  return `\`${text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${')}\``;
}

function objectOf(entries: readonly [string, string][]): string {
  return `{\n${entries.map(([name, source]) => `  ${name}: ${templateLiteral(source)},\n`).join('')}}`;
}

/**
 * The text of `kernel-sources.generated.ts`: the JavaScript source of every kernel function and
 * device helper, as string constants. gpu.js compiles these strings, so a minifier that rewrites
 * the functions in a bundle cannot change what it compiles.
 */
export function renderKernelSources(): string {
  return `// Generated by src/codegen/render-kernel-sources.ts from the kernel functions of src/kernels and the
// DEVICE_HELPERS of src/kernels/device-functions.ts; do not edit. Regenerate with
// \`pnpm --filter @rnn/backend-gpujs generate\`; render-kernel-sources.test.ts fails while this file is stale.

/** The JavaScript source of every kernel function, by its name: what gpu.js compiles, out of a bundler's reach. */
export const KERNEL_SOURCES = ${objectOf(kernelFunctions())};

/** The JavaScript source of every device helper, named as kernels call it. */
export const DEVICE_FUNCTION_SOURCES = ${objectOf(deviceFunctions())};
`;
}
