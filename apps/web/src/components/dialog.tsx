import * as RadixDialog from '@radix-ui/react-dialog';
import { type FormEvent, type ReactNode, useState } from 'react';
import { describeError } from '../errors/messages';

/**
 * A modal dialog (Radix: focus is trapped inside and returned to where it
 * was on close; Escape and the backdrop close it). On a phone it is a sheet
 * at the bottom of the screen (styles.css).
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  className = '',
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-backdrop" />
        <RadixDialog.Content
          className={`dialog card ${className}`}
          {...(description === undefined && { 'aria-describedby': undefined })}
        >
          <header>
            <RadixDialog.Title>{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-button" aria-label="Close">
              ✕
            </RadixDialog.Close>
          </header>
          {description !== undefined && (
            <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description>
          )}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Asks for one line of text (a title, a version name, a link); stays open and says why when the action fails. */
export function PromptDialog({
  open,
  onOpenChange,
  title,
  label,
  initial = '',
  confirm,
  inputType = 'text',
  placeholder,
  allowEmpty = false,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  label: string;
  initial?: string;
  confirm: string;
  inputType?: 'text' | 'url';
  placeholder?: string;
  /** Whether an empty value may be submitted (an empty link removes it). */
  allowEmpty?: boolean;
  onSubmit: (value: string) => Promise<void> | void;
}) {
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={title}>
      {/* Mounted per opening, so each starts from `initial`. */}
      {open && (
        <PromptForm
          label={label}
          initial={initial}
          confirm={confirm}
          inputType={inputType}
          placeholder={placeholder}
          allowEmpty={allowEmpty}
          onCancel={() => onOpenChange(false)}
          onSubmit={async (value) => {
            await onSubmit(value);
            onOpenChange(false);
          }}
        />
      )}
    </Modal>
  );
}

function PromptForm(props: {
  label: string;
  initial: string;
  confirm: string;
  inputType: 'text' | 'url';
  placeholder: string | undefined;
  allowEmpty: boolean;
  onCancel: () => void;
  onSubmit: (value: string) => Promise<void>;
}) {
  const [value, setValue] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (!trimmed && !props.allowEmpty) return setError('This cannot be empty.');
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(trimmed);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <form className="dialog-form" onSubmit={(e) => void submit(e)}>
      <label className="field">
        {props.label}
        <input
          type={props.inputType}
          value={value}
          placeholder={props.placeholder}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {props.confirm}
        </button>
      </div>
    </form>
  );
}

/** Asks before something that cannot be undone (delete, restore). */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirm,
  danger = false,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => Promise<void> | void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onOpenChange(false);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setError(null);
        onOpenChange(next);
      }}
      title={title}
      description={description}
    >
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <RadixDialog.Close asChild>
          <button type="button">Cancel</button>
        </RadixDialog.Close>
        <button
          type="button"
          className={danger ? 'danger-solid' : 'primary'}
          disabled={busy}
          onClick={() => void run()}
        >
          {confirm}
        </button>
      </div>
    </Modal>
  );
}
