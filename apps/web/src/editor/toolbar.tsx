import { type ListKind, selectedLines } from '@collab/editor-binding';
import * as Menu from '@radix-ui/react-dropdown-menu';
import type { Editor } from '@tiptap/react';
import { type ReactNode, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { AlignIcon, LinkIcon, CommentIcon } from './icons';
import { MOD } from './shortcuts';

type Align = 'left' | 'center' | 'right' | 'justify';

/** One control as a toolbar button and, when it does not fit, as an item of the overflow menu. */
interface Control {
  readonly label: string;
  readonly icon: ReactNode;
  readonly active: boolean;
  readonly run: () => void;
}

/** Controls that stay together; whole groups move into the overflow menu, last group first. */
interface Group {
  readonly name: string;
  readonly controls: readonly Control[];
  /** A control other than buttons (the text style select). */
  readonly custom?: ReactNode;
}

const STYLES = [
  ['', 'Normal text'],
  ['1', 'Heading 1'],
  ['2', 'Heading 2'],
  ['3', 'Heading 3'],
  ['4', 'Heading 4'],
] as const;

/**
 * Formatting controls on one row, each with its shortcut in its name; what
 * does not fit the row's width (a phone, or the history panel open) moves
 * into the "More" menu, which also opens find and replace and the list of
 * shortcuts. State follows the selection.
 */
export function Toolbar({
  editor,
  onLink,
  onFind,
  onShortcuts,
  onComment,
}: {
  editor: Editor;
  onLink: () => void;
  onFind: () => void;
  onShortcuts: () => void;
  /** Comment on the selection (absent where comments are not available). */
  onComment?: () => void;
}) {
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
  const setStyle = (value: string) =>
    value === '' ? chain().setPlainLine().run() : chain().toggleHeader(Number(value)).run();
  const c = (label: string, icon: ReactNode, active: boolean, run: () => unknown): Control => ({
    label,
    icon,
    active,
    run: () => void run(),
  });
  const isTask = list === 'checked' || list === 'unchecked';

  const groups: Group[] = [
    {
      name: 'History',
      controls: [
        c(`Undo (${MOD}Z)`, '↶', false, () => chain().undo().run()),
        c(`Redo (${MOD}Y)`, '↷', false, () => chain().redo().run()),
      ],
    },
    ...(onComment
      ? [{ name: 'Comment', controls: [c(`Add comment (${MOD}Alt+M)`, <CommentIcon />, false, onComment)] }]
      : []),
    {
      name: 'Text style',
      controls: STYLES.map(([value, label]) => c(label, label, header === value, () => setStyle(value))),
      custom: (
        <select aria-label="Text style" value={header} onChange={(e) => setStyle(e.target.value)}>
          {STYLES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      ),
    },
    {
      name: 'Text',
      controls: [
        c(`Bold (${MOD}B)`, <b>B</b>, editor.isActive('bold'), () => chain().toggleBold().run()),
        c(`Italic (${MOD}I)`, <i>I</i>, editor.isActive('italic'), () => chain().toggleItalic().run()),
        c(`Underline (${MOD}U)`, <u>U</u>, editor.isActive('underline'), () =>
          chain().toggleUnderline().run(),
        ),
        c(`Strikethrough (${MOD}Shift+S)`, <s>S</s>, editor.isActive('strike'), () =>
          chain().toggleStrike().run(),
        ),
        c(`Inline code (${MOD}E)`, '</>', editor.isActive('code'), () => chain().toggleCode().run()),
        c(`Link (${MOD}K)`, <LinkIcon />, editor.isActive('link'), onLink),
      ],
    },
    {
      name: 'Lines',
      controls: [
        c('Bulleted list', '•', list === 'bullet', () => chain().toggleLineList('bullet').run()),
        c('Numbered list', '1.', list === 'ordered', () => chain().toggleLineList('ordered').run()),
        c('Checklist', '☑', isTask, () => chain().toggleLineList('unchecked').run()),
        c('Quote', '❝', line['blockquote'] === true, () => chain().toggleBlockquote().run()),
        c('Code block', '{ }', line['code-block'] === true, () => chain().toggleCodeLine().run()),
      ],
    },
    {
      name: 'Alignment',
      controls: (['left', 'center', 'right', 'justify'] as const).map((a) =>
        c(`Align ${a}`, <AlignIcon align={a} />, align === a, () => chain().setTextAlign(a).run()),
      ),
    },
    {
      name: 'Indent',
      controls: [
        c(`Decrease indent (${MOD}[)`, '⇤', false, () => chain().outdentLines().run()),
        c(`Increase indent (${MOD}])`, '⇥', false, () => chain().indentLines().run()),
        c('Divider', '―', false, () => chain().insertDivider().run()),
      ],
    },
  ];

  const { rowRef, moreRef, groupRef, shown } = useFittingGroups(groups.length);
  const hidden = groups.slice(shown);
  return (
    <div className="toolbar card" role="toolbar" aria-label="Formatting" ref={rowRef}>
      {groups.map((group, i) => (
        <div
          key={group.name}
          className="toolbar-group"
          role="group"
          aria-label={group.name}
          ref={groupRef(i)}
          hidden={i >= shown}
        >
          {group.custom ??
            group.controls.map((control) => (
              <button
                key={control.label}
                type="button"
                className="tool"
                aria-label={control.label}
                title={control.label}
                aria-pressed={control.active}
                // Keeps the editor's selection: the command applies to it.
                onMouseDown={(e) => e.preventDefault()}
                onClick={control.run}
              >
                {control.icon}
              </button>
            ))}
        </div>
      ))}
      <Menu.Root modal={false}>
        <Menu.Trigger asChild>
          <button type="button" className="tool more" aria-label="More formatting and tools" ref={moreRef}>
            ⋯
          </button>
        </Menu.Trigger>
        <Menu.Portal>
          {/* Focusable itself: on a phone the menu may scroll, and a scrolling region must take the keyboard. */}
          <Menu.Content className="menu card toolbar-menu" align="end" sideOffset={6} tabIndex={0}>
            {hidden.map((group) => (
              <Menu.Group key={group.name}>
                <Menu.Label className="menu-label">{group.name}</Menu.Label>
                {group.controls.map((control) => (
                  <Menu.CheckboxItem
                    key={control.label}
                    className="menu-item"
                    checked={control.active}
                    onSelect={control.run}
                  >
                    <span className="menu-icon" aria-hidden="true">
                      {control.icon}
                    </span>
                    {control.label}
                  </Menu.CheckboxItem>
                ))}
                <Menu.Separator className="menu-separator" />
              </Menu.Group>
            ))}
            <Menu.Item className="menu-item" onSelect={onFind}>
              Find and replace ({MOD}F)
            </Menu.Item>
            <Menu.Item className="menu-item" onSelect={onShortcuts}>
              Keyboard shortcuts ({MOD}/)
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </div>
  );
}

/**
 * How many groups fit on the row, first ones first: measured, not guessed
 * from the screen size, so a narrower column (the history panel open) is
 * handled the same as a phone. A group's width is measured while it is shown
 * and remembered while it is hidden.
 */
function useFittingGroups(count: number) {
  const rowRef = useRef<HTMLDivElement | null>(null);
  const moreRef = useRef<HTMLButtonElement | null>(null);
  const groups = useRef<(HTMLDivElement | null)[]>([]);
  const widths = useRef<number[]>([]);
  const [shown, setShown] = useState(count);
  const [rowWidth, setRowWidth] = useState(0);

  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    const observer = new ResizeObserver(() => setRowWidth(row.clientWidth));
    observer.observe(row);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    groups.current.forEach((el, i) => {
      if (el && !el.hidden) widths.current[i] = el.offsetWidth;
    });
    const style = getComputedStyle(row);
    const gap = parseFloat(style.columnGap) || 0;
    const padding = (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
    let room = row.clientWidth - padding - (moreRef.current?.offsetWidth ?? 0) - gap;
    let fit = 0;
    while (fit < count && room >= (widths.current[fit] ?? 0)) {
      room -= (widths.current[fit] ?? 0) + gap;
      fit++;
    }
    if (fit !== shown) setShown(fit);
  }, [count, rowWidth, shown]);

  const groupRef = (i: number) => (el: HTMLDivElement | null) => {
    groups.current[i] = el;
  };
  return { rowRef, moreRef, groupRef, shown };
}
