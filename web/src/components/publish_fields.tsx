// The two choices of a publish job, shared by the job form and the article's publish form: the
// layout (publish_action) and the WordPress post status (status_on_publish).
import { PUBLISH_ACTIONS, PUBLISH_STATUSES } from "../api/types";
import type { FormErrors } from "../forms";
import { choices, SelectField } from "./fields";

interface PublishFieldsProps {
  /** Prefix of the fields' ids: `${idPrefix}-action`, `${idPrefix}-status`. */
  idPrefix: string;
  action: string;
  status: string;
  onAction: (action: string) => void;
  onStatus: (status: string) => void;
  errors: FormErrors;
}

export function PublishFields({ idPrefix, action, status, onAction, onStatus, errors }: PublishFieldsProps) {
  return (
    <>
      <SelectField
        id={`${idPrefix}-action`}
        label="Layout"
        value={action}
        options={choices(PUBLISH_ACTIONS)}
        onChange={onAction}
        error={errors.fields.publish_action}
      />
      <SelectField
        id={`${idPrefix}-status`}
        label="Post status"
        value={status}
        options={choices(PUBLISH_STATUSES)}
        onChange={onStatus}
        error={errors.fields.status_on_publish}
      />
    </>
  );
}
