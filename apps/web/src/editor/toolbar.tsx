import { type ListKind, selectedLines } from '@collab/editor-binding';
import type { Editor } from '@tiptap/react';
import { type ReactNode, useEffect, useReducer } from 'react';
import { AlignIcon, LinkIcon } from './icons';

type Align = 'left' | 'center' | 'right' | 'justify';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

/** Formatting controls, each with its keyboard shortcut in the tooltip; state follows the selection. */
export function Toolbar({ editor }: { editor: Editor }) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    editor.on('transaction', rerender);
    return () => void editor.off('transaction', rerender);
  }, [editor]);

  const line = selectedLines(editor.state)[0]?.node.attrs ?? {};
  const header = typeof line['header'] === 'number' ? String(line['header']) : '';
  const list = typeof line['list'] === 'string' ? (line['list'] as ListKind) : null;
  const align = (line['textAlign'] as Align | null) ?? 'left';
  const chain = () => editor.chain().focus();

  const mark = (name: string, label: ReactNode, title: string, run: () => boolean) => (
    <button
      key={title}
      type="button"
      aria-label={title}
      title={title}
      aria-pressed={editor.isActive(name)}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      {label}
    </button>
  );
  const toggle = (label: ReactNode, title: string, active: boolean, run: () => boolean) => (
    <button
      key={title}
      type="button"
      aria-label={title}
      title={title}
      aria-pressed={active}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      {label}
    </button>
  );

  const link = () => {
    const previous = editor.getAttributes('link')['href'] as string | undefined;
    const href = window.prompt('Link address (https://…, mailto:…)', previous ?? 'https://');
    if (href === null) return false;
    if (href.trim() === '') return chain().extendMarkRange('link').unsetLink().run();
    return chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  const isTask = list === 'checked' || list === 'unchecked';
  return (
    <div className="toolbar card" role="toolbar" aria-label="Formatting">
      {toggle('↶', `Undo (${mod}Z)`, false, () => chain().undo().run())}
      {toggle('↷', `Redo (${mod}Y)`, false, () => chain().redo().run())}
      <span className="separator" />
      <select
        aria-label="Text style"
        value={header}
        onChange={(e) =>
          e.target.value === ''
            ? chain().setPlainLine().run()
            : chain().toggleHeader(Number(e.target.value)).run()
        }
      >
        <option value="">Normal text</option>
        <option value="1">Heading 1</option>
        <option value="2">Heading 2</option>
        <option value="3">Heading 3</option>
        <option value="4">Heading 4</option>
      </select>
      <span className="separator" />
      {mark('bold', 'B', `Bold (${mod}B)`, () => chain().toggleBold().run())}
      {mark('italic', 'I', `Italic (${mod}I)`, () => chain().toggleItalic().run())}
      {mark('underline', 'U', `Underline (${mod}U)`, () => chain().toggleUnderline().run())}
      {mark('strike', 'S', `Strikethrough (${mod}Shift+S)`, () => chain().toggleStrike().run())}
      {mark('code', '</>', `Inline code (${mod}E)`, () => chain().toggleCode().run())}
      {mark('link', <LinkIcon />, 'Link', link)}
      <span className="separator" />
      {toggle('•', 'Bulleted list', list === 'bullet', () => chain().toggleLineList('bullet').run())}
      {toggle('1.', 'Numbered list', list === 'ordered', () => chain().toggleLineList('ordered').run())}
      {toggle('☑', 'Checklist', isTask, () => chain().toggleLineList('unchecked').run())}
      {toggle('❝', 'Quote', line['blockquote'] === true, () => chain().toggleBlockquote().run())}
      {toggle('{ }', 'Code block', line['code-block'] === true, () => chain().toggleCodeLine().run())}
      <span className="separator" />
      {(['left', 'center', 'right', 'justify'] as const).map((a) =>
        toggle(<AlignIcon align={a} />, `Align ${a}`, align === a, () => chain().setTextAlign(a).run()),
      )}
      {toggle('⇤', `Decrease indent (${mod}[)`, false, () => chain().outdentLines().run())}
      {toggle('⇥', `Increase indent (${mod}])`, false, () => chain().indentLines().run())}
      {toggle('―', 'Divider', false, () => chain().insertDivider().run())}
    </div>
  );
}
