/**
 * `metalbox replace -f` and `metalbox edit KIND NAME`, as kubectl has them. Edit opens the object in
 * $VISUAL/$EDITOR (secrets redacted, kept unless changed); an invalid or conflicting save reopens the
 * operator's own text with the reason on top, and an edit abandoned unsaved is kept in a file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { editableYaml, resolveKind, resourceToYaml, unredact, type Resource } from '../api/index.js';
import type { ApplyResult } from '../ops/resources.js';
import { editorCommand, runEditor } from '../util/editor.js';
import { isMetalboxError, MetalboxError } from '../util/errors.js';
import { withCli, type CliContext, type GlobalOptions } from './context.js';
import { loadManifests } from './input.js';

const print = (t: string) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();

const HEADER = [
  '# Edit the object below. Lines beginning with # are ignored; an empty file cancels the edit.',
  '# Secrets show as <redacted>: leave the marker to keep the stored value.',
  '# If an error occurs while saving, this file is reopened with the reason on top.',
].join('\n');

/** The text without comment-only lines, to tell "saved unchanged" from a real edit. */
const body = (text: string) => text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').trim();
/** The text without the header and reason block this command put on top (the operator's own lines kept). */
const withoutHeader = (text: string) => {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && /^#/.test(lines[i]!)) i++;
  return lines.slice(i).join('\n');
};

async function replaceFiles(g: GlobalOptions, files: string[]): Promise<void> {
  if (!files.length) throw new MetalboxError('USAGE', 'replace needs -f FILE|DIR|- (one or more)');
  const { resources, warnings } = loadManifests(files);
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  await withCli(g, async (ctx) => {
    for (const r of resources) {
      const res = await ctx.call<ApplyResult>('resources.replace', { yaml: resourceToYaml(r) });
      print(`${resolveKind(res.kind).singular}/${res.name} replaced`);
      for (const w of res.warnings ?? []) process.stderr.write(`Warning: ${w}\n`);
    }
  });
}

async function edit(file: string): Promise<void> {
  const editor = editorCommand(process.env);
  const code = await runEditor(editor, file, 'inherit');
  if (code === 127) throw new MetalboxError('EDITOR_FAILED', `could not run the editor "${editor}"`, { hint: 'set $EDITOR' });
  if (code !== 0) throw new MetalboxError('EDITOR_FAILED', `the editor "${editor}" exited with status ${code}; nothing was saved`);
}

async function editOne(ctx: CliContext, kind: string, name: string, namespace: string): Promise<string> {
  const [stored] = await ctx.call<Resource[]>('resources.get', { kind, name, namespace, showSecrets: true });
  const original = editableYaml(stored!);
  const dir = mkdtempSync(join(tmpdir(), 'metalbox-edit-'));
  const file = join(dir, `${stored!.kind.toLowerCase()}-${name}.yaml`);
  let text = `${HEADER}\n${original}`;
  let lastFailed: string | undefined;
  try {
    for (;;) {
      writeFileSync(file, text, { mode: 0o600 });
      await edit(file);
      const edited = readFileSync(file, 'utf8');
      if (!body(edited)) return 'Edit cancelled: the file was emptied; nothing was saved.';
      if (body(edited) === body(original)) return 'Edit cancelled, no changes made.';
      if (lastFailed !== undefined && body(edited) === lastFailed) {
        const keep = join(tmpdir(), `metalbox-edit-${stored!.kind.toLowerCase()}-${name}-${process.pid}.yaml`);
        writeFileSync(keep, edited, { mode: 0o600 });
        throw new MetalboxError('EDIT_ABANDONED', `the edit was saved unchanged after an error; nothing was saved. Your text is kept in ${keep}`, { hint: `fix it and run metalbox replace -f ${keep}` });
      }
      try {
        const current = (await ctx.call<Resource[]>('resources.get', { kind, name, namespace, showSecrets: true }))[0];
        // Sent as saved, comments and all, so that a line number in an error is a line of the file.
        const res = await ctx.call<ApplyResult>('resources.replace', { yaml: unredact(edited, current) });
        for (const w of res.warnings ?? []) process.stderr.write(`Warning: ${w}\n`);
        return `${resolveKind(res.kind).singular}/${res.name} edited`;
      } catch (e) {
        if (!isMetalboxError(e, 'INVALID') && !isMetalboxError(e, 'STORE_CONFLICT') && !isMetalboxError(e, 'NOT_FOUND')) throw e;
        lastFailed = body(edited);
        const reason = (e as Error).message.split('\n').map((l) => `# ${l}`).join('\n');
        text = `${HEADER}\n#\n# The edit could not be saved (line numbers are of the file as you saved it):\n${reason}\n#\n${withoutHeader(edited)}`;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerEdit(program: Command): void {
  program
    .command('replace')
    .description('replace existing resources with the manifests given, as kubectl replace does (a stale resourceVersion is refused)')
    .option('-f, --filename <path...>', 'manifest file, folder of manifests, or - for standard input')
    .action(async (opts: { filename?: string[] }, cmd: Command) => replaceFiles(globals(cmd), opts.filename ?? []));

  program
    .command('edit <kind> <name>')
    .description('edit a resource in $VISUAL or $EDITOR; an invalid edit is reopened with the reason')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .action(async (kind: string, name: string, o: { namespace: string }, cmd: Command) => {
      resolveKind(kind);
      print(await withCli(globals(cmd), (ctx) => editOne(ctx, kind, name, o.namespace)));
    });
}
