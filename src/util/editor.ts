/**
 * The operator's $EDITOR, as the console's `e` and `metalbox edit` both run it: `$VISUAL`, else `$EDITOR`,
 * else vi, through the shell so that an editor with arguments (`code -w`) works.
 */
import { spawn } from 'node:child_process';

/** Run `$EDITOR file` through the shell, so an editor with arguments (`code -w`) works. */
export function runEditor(editor: string, file: string, stdio: 'inherit' | 'ignore'): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${editor} "$1"`, 'metalbox-editor', file], { stdio });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The editor the operator asked for. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}
