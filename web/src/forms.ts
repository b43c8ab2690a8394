// Turning an API refusal into messages next to the right form fields: a VALIDATION_ERROR's
// `details` name fields (`keywords[1]`, `rankings[3].position`); the part before the first `[`
// or `.` is the form field. What matches no field is shown above the form.
import { ApiError } from "./api/client";

export interface FormErrors {
  /** Messages by form field name. */
  fields: Record<string, string>;
  /** The message for the form as a whole, if any. */
  general: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

export function fieldOf(detailField: string): string {
  return detailField.split(/[[.]/, 1)[0];
}

function describe(detailField: string, issue: string): string {
  const index = detailField.match(/^[^[]*\[(\d+)\]/);
  return index ? `Item ${Number(index[1]) + 1}: ${issue}` : issue;
}

export function formErrorsFrom(error: unknown, formFields: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: String(error) };
  const fields: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const detail of error.details) {
    const name = fieldOf(detail.field);
    const message = describe(detail.field, detail.issue);
    if (formFields.includes(name)) fields[name] = fields[name] ? `${fields[name]}; ${message}` : message;
    else unmatched.push(`${detail.field}: ${detail.issue}`);
  }
  if (error.details.length === 0 || unmatched.length > 0) {
    const extra = unmatched.length > 0 ? ` (${unmatched.join("; ")})` : "";
    return { fields, general: `${error.message}${extra}` };
  }
  return { fields, general: null };
}

/** Keywords typed one per line or separated by commas, trimmed, empty ones dropped. */
export function parseKeywords(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword.length > 0);
}
