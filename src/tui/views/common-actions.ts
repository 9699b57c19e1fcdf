/** Actions every resource list has: show YAML, edit as YAML, delete with a confirmation that counts. */
import { redact, resolveKind, resourceToYaml, type Resource } from '../../api/index.js';
import type { Action } from '../keys.js';
import { editResource } from './edit-targets.js';
import type { ListView } from './list.js';
import { showText } from './text-page.js';
import type { ConsoleContext } from './view.js';

export function yamlAction(ctx: ConsoleContext, pick: () => Resource | undefined): Action {
  return {
    key: 'y',
    label: 'yaml',
    help: 'show as YAML (secrets redacted)',
    hint: false,
    disabled: () => (pick() ? undefined : 'nothing selected'),
    run: () => {
      const r = pick()!;
      ctx.push(showText(ctx, `yaml ${r.metadata.name}`, () => resourceToYaml(redact(ctx.store.get(r.kind, r.metadata.name, r.metadata.namespace) ?? r))));
    },
  };
}

export function editAction(ctx: ConsoleContext, pick: () => Resource | undefined): Action {
  return {
    key: 'e',
    label: 'edit',
    help: 'edit as YAML in $EDITOR (validated before saving)',
    disabled: () => (pick() ? undefined : 'nothing selected'),
    run: () => ctx.edit(editResource(ctx, pick()!)),
  };
}

/** Delete the marked rows (or the selected one), saying how many and how many the filter hides. */
export function deleteAction<T extends Resource>(ctx: ConsoleContext, view: ListView<T>, consequence?: (list: T[]) => string[]): Action {
  return {
    key: 'C-d',
    label: 'delete',
    help: 'delete (asks first, saying what and how many)',
    danger: true,
    disabled: () => (view.targets().length ? undefined : 'nothing selected'),
    run: async () => {
      const list = view.targets();
      const info = resolveKind(view.spec.kind);
      const what = list.length === 1 ? `${info.singular} ${list[0]!.metadata.name}` : `${list.length} ${info.plural}`;
      const visible = new Set(view.model.ids());
      const hidden = list.filter((r) => !visible.has(view.idOf(r))).length;
      const lines = [`Delete ${what}?`, ...(hidden ? [`(${hidden} of them hidden by the filter)`] : []), ...(consequence?.(list) ?? [])];
      if (!(await ctx.dialogs.confirm(`delete ${what}`, lines, true))) return;
      let ok = 0;
      for (const r of list) {
        const done = await ctx.op('resources.delete', { kind: r.kind, name: r.metadata.name, namespace: r.metadata.namespace });
        if (done !== undefined) ok++;
      }
      view.model.marked.clear();
      if (ok === list.length) ctx.flash.info(`deleted ${what}`);
    },
  };
}
