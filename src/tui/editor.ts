/**
 * The $EDITOR round trip (k9s's edit, kubectl edit's loop): write the YAML to a private temporary file,
 * hand the terminal to the editor, read the result back, validate it, and save it. Invalid text is never
 * saved: the editor reopens with the operator's own text and the reasons at the top. A text that is left
 * unsaved is kept as a draft, offered again on the next edit of the same object.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEditor } from '../util/editor.js';
import { errorMessage } from '../util/errors.js';
import type { EditProblem, EditTarget } from './views/view.js';

const MARK = '# metalbox:';

export interface EditorDeps {
  /** Hand the terminal over while `run` runs. */
  suspend<T>(run: () => Promise<T>): Promise<T>;
  /** `$VISUAL`/`$EDITOR` as the operator set it (a command line, e.g. `code -w`). */
  editor: string;
  /** Where the editor's stdio goes: the terminal normally, nothing in headless tests. */
  stdio: 'inherit' | 'ignore';
  drafts: Map<string, string>;
  info(text: string): void;
  error(text: string): void;
}

export type EditOutcome = 'saved' | 'unchanged' | 'kept' | 'failed';

/** The text between our comment header and the end, as the operator left it. */
export function stripHeader(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(MARK)) i++;
  return lines.slice(i).join('\n');
}

export function header(lines: string[]): string {
  return lines.map((l) => `${MARK} ${l}`.trimEnd()).join('\n') + '\n';
}

export async function editLoop(target: EditTarget, deps: EditorDeps): Promise<EditOutcome> {
  const original = target.initial();
  const draft = deps.drafts.get(target.what);
  let text = draft ?? original;
  let notes = draft
    ? ['your unsaved edit from last time is restored below; delete everything to start over from the stored object']
    : [`editing ${target.what}; save and quit to apply, quit without changes to cancel`];
  let lastRejected: string | undefined;
  let reasons: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'metalbox-edit-'));
  const file = join(dir, `${target.what.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`);
  try {
    for (;;) {
      await writeFile(file, header(notes) + text, { mode: 0o600 });
      const code = await deps.suspend(() => runEditor(deps.editor, file, deps.stdio));
      if (code !== 0) {
        // Whatever the operator typed before the editor failed is kept.
        const left = stripHeader(await readFile(file, 'utf8').catch(() => header(notes) + text));
        deps.drafts.set(target.what, left.trim() ? left : text);
        deps.error(`the editor (${deps.editor}) exited with ${code}; nothing saved, press e to continue editing`);
        return 'failed';
      }
      const edited = stripHeader(await readFile(file, 'utf8'));
      if (!edited.trim() && draft !== undefined) {
        deps.drafts.delete(target.what);
        deps.info(`draft of ${target.what} discarded`);
        return 'unchanged';
      }
      if (edited === original || !edited.trim()) {
        deps.drafts.delete(target.what);
        deps.info(`${target.what}: no changes, nothing saved`);
        return 'unchanged';
      }
      if (edited === lastRejected) {
        deps.drafts.set(target.what, edited);
        deps.error(`${target.what} not saved: ${reasons.join('; ')}; your text is kept, press e to continue editing`);
        return 'kept';
      }
      const problems = await target.validate(edited);
      const failure = problems.length ? undefined : await target.save(edited).then(
        (done) => {
          deps.drafts.delete(target.what);
          deps.info(done);
        },
        (e: unknown) => errorMessage(e),
      );
      if (!problems.length && failure === undefined) return 'saved';
      reasons = problems.length ? problemLines(problems) : failure!.split('\n').map((l) => l.trim()).filter(Boolean);
      notes = [problems.length ? 'this edit was NOT saved because:' : 'this edit was NOT saved:', ...reasons.map((r) => `  ${r}`), RETRY];
      text = edited;
      lastRejected = edited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const RETRY = 'fix it below and save again; quit without changes to give up (your text is kept as a draft)';

/**
 * The problems as the header shows them, with line numbers as the operator's editor counts them: the
 * header (a title, one line per problem, the retry line) comes before the text.
 */
export function problemLines(problems: EditProblem[]): string[] {
  const headerLines = problems.length + 2;
  return problems.map((p) => {
    const at = p.line ? `line ${p.line + headerLines}${p.column ? `:${p.column}` : ''}: ` : '';
    return `${at}${p.message.replace(/\s*\n\s*/g, ' ')}`;
  });
}
