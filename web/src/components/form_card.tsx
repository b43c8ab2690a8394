// The frame every dashboard form shares: a card named by its heading, the API's general complaint
// above the fields, and the Save/Cancel buttons of the create/edit forms.
import type { ComponentChildren } from "preact";

interface FormCardProps {
  /** The heading's id; the form is named by it. */
  titleId: string;
  title: string;
  onSubmit: (event: Event) => void;
  /** The complaint that names no field (FormErrors.general). */
  error: string | null;
  /** Shown between the heading and the complaint. */
  intro?: ComponentChildren;
  /** Fields side by side on one row (form-inline) instead of the grid. */
  inline?: boolean;
  children: ComponentChildren;
}

export function FormCard({ titleId, title, onSubmit, error, intro, inline, children }: FormCardProps) {
  return (
    <form
      class={inline ? "card form-inline" : "card form-grid"}
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={titleId}
    >
      <h2 id={titleId}>{title}</h2>
      {intro}
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {children}
    </form>
  );
}

/** The submit button (disabled while `busy`) and Cancel. */
export function SaveOrCancel({
  label,
  busy,
  onCancel,
}: {
  label: string;
  busy?: boolean;
  onCancel: () => void;
}) {
  return (
    <div class="form-actions">
      <button type="submit" disabled={busy}>
        {label}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
