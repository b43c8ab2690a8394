// Labelled form controls that show the API's complaint about their value right below them
// (linked with aria-describedby and marked aria-invalid).
import type { ComponentChildren } from "preact";

interface FieldFrameProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function FieldFrame({ id, label, error, hint, children }: FieldFrameProps) {
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} class="field-hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
}

export function TextField(props: InputProps) {
  const {
    id,
    label,
    value,
    onInput,
    error,
    hint,
    type = "text",
    required,
    autoComplete,
    placeholder,
  } = props;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        placeholder={placeholder}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
      />
    </FieldFrame>
  );
}

export function TextAreaField(props: Omit<InputProps, "type" | "autoComplete"> & { rows?: number }) {
  const { id, label, value, onInput, error, hint, rows = 3, placeholder } = props;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        name={id}
        rows={rows}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(event) => onInput((event.target as HTMLTextAreaElement).value)}
      />
    </FieldFrame>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function choices(values: readonly string[]): Choice[] {
  return values.map((value) => ({ value, label: value }));
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: Choice[];
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}

export function SelectField({ id, label, value, options, onChange, error, hint }: SelectProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={id}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(event) => onChange((event.target as HTMLSelectElement).value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface CheckboxGroupProps {
  id: string;
  legend: string;
  values: readonly string[];
  selected: string[];
  onChange: (selected: string[]) => void;
  error?: string;
}

export function CheckboxGroup({ id, legend, values, selected, onChange, error }: CheckboxGroupProps) {
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((item) => item !== value));
  return (
    <fieldset
      class={error ? "field field-invalid" : "field"}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      <div class="checkbox-row">
        {values.map((value) => (
          <label key={value} class="checkbox">
            <input
              type="checkbox"
              name={id}
              value={value}
              checked={selected.includes(value)}
              onChange={(event) => toggle(value, (event.target as HTMLInputElement).checked)}
            />
            {value}
          </label>
        ))}
      </div>
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </fieldset>
  );
}
