import { MAX_INDENT } from './line-commands';

/*
 * The stylesheet that draws the flat line model (see line-format.ts) the way
 * libs/rich-text's HTML looks: list lines get their bullet, number or
 * checkbox from ::before and their depth from ql-indent-N, ordered lists
 * number per depth with CSS counters (Quill 2 does the same), consecutive
 * code lines read as one block, and remote carets carry a name label.
 * Scoped to `.collab-editor` (put the class on the editor element).
 */

const levels = Array.from({ length: MAX_INDENT + 1 }, (_, i) => i);
const counters = (from: number) =>
  levels
    .filter((i) => i >= from)
    .map((i) => `list-${i}`)
    .join(' ');
const NUMBERING = ['decimal', 'lower-alpha', 'lower-roman'];

function listRules(): string {
  const rules: string[] = [];
  // Any line that is not an ordered item at a depth restarts the numbering below it.
  rules.push(`.collab-editor > :not(li[data-list="ordered"]) { counter-reset: ${counters(0)}; }`);
  for (const i of levels) {
    const selector = i === 0 ? 'li[data-list]:not([class*="ql-indent-"])' : `li[data-list].ql-indent-${i}`;
    rules.push(`.collab-editor ${selector} { counter-reset: ${counters(i + 1) || 'none'}; }`);
    rules.push(`.collab-editor ${selector}[data-list="ordered"] { counter-increment: list-${i}; }`);
    rules.push(
      `.collab-editor ${selector}[data-list="ordered"]::before { content: counter(list-${i}, ${NUMBERING[i % 3]}) ". "; }`,
    );
  }
  for (const i of levels.slice(1)) rules.push(`.collab-editor .ql-indent-${i} { padding-left: ${i * 3}em; }`);
  for (const i of levels.slice(1))
    rules.push(`.collab-editor li.ql-indent-${i} { padding-left: ${i * 3 + 1.5}em; }`);
  return rules.join('\n');
}

/** CSS for an editor made from collabExtensions(); inject it once (e.g. in a <style> element). */
export const COLLAB_EDITOR_CSS = `
.collab-editor { white-space: pre-wrap; }
.collab-editor > * { margin: 0; }
.collab-editor p, .collab-editor li, .collab-editor pre, .collab-editor blockquote { min-height: 1.5em; }
.collab-editor li { list-style: none; position: relative; padding-left: 1.5em; }
.collab-editor li::before { display: inline-block; width: 1.2em; margin-left: -1.5em; margin-right: 0.3em; text-align: right; white-space: nowrap; }
.collab-editor li[data-list="bullet"]::before { content: "\\2022"; }
.collab-editor li[data-list="checked"]::before { content: "\\2611"; cursor: pointer; }
.collab-editor li[data-list="unchecked"]::before { content: "\\2610"; cursor: pointer; }
.collab-editor li[data-list="checked"] { text-decoration: line-through; color: #667; }
.collab-editor blockquote, .collab-editor [data-blockquote] { border-left: 4px solid #ccd; padding-left: 1em; color: #445; }
.collab-editor pre, .collab-editor [data-code-block] { font-family: ui-monospace, monospace; background: #f3f4f6; padding: 0 0.75em; }
.collab-editor pre + pre { border-top: none; }
.collab-editor hr { display: block; border: none; border-top: 1px solid #ccd; margin: 0.75em 0; }
.collab-editor img { max-width: 100%; vertical-align: bottom; }
.collab-editor code { font-family: ui-monospace, monospace; background: #eef; border-radius: 3px; padding: 0 0.2em; }
.collab-caret { position: relative; border-left: 2px solid; margin-left: -1px; margin-right: -1px; pointer-events: none; }
.collab-caret-label { position: absolute; bottom: 100%; left: -2px; font-size: 11px; line-height: 1.4; color: #fff; padding: 0 4px; border-radius: 3px 3px 3px 0; white-space: nowrap; user-select: none; }
.collab-selection { border-radius: 2px; }
${listRules()}
`;
