import { Modal } from '../components/dialog';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** The modifier as people read it on their system. */
export const MOD = isMac ? '⌘' : 'Ctrl+';

const SHORTCUTS: readonly (readonly [string, string])[] = [
  [`${MOD}B`, 'Bold'],
  [`${MOD}I`, 'Italic'],
  [`${MOD}U`, 'Underline'],
  [`${MOD}Shift+S`, 'Strikethrough'],
  [`${MOD}E`, 'Inline code'],
  [`${MOD}K`, 'Add or edit a link'],
  [`${MOD}Z`, 'Undo'],
  [`${MOD}Y`, 'Redo'],
  [`${MOD}[`, 'Decrease indent'],
  [`${MOD}]`, 'Increase indent'],
  [`${MOD}F`, 'Find'],
  [`${MOD}H`, 'Find and replace'],
  [`${MOD}Alt+M`, 'Comment on the selection'],
  [`${MOD}/`, 'This list of shortcuts'],
  ['Escape', 'Close a dialog, menu or the find bar'],
];

/** The list of keyboard shortcuts (Ctrl+/). */
export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Modal open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts">
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
