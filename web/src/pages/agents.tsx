// Agents: the list (status filter, sort, cursor pages), the create/edit form, pause/resume and
// delete.
import { useState } from "preact/hooks";
import { deleteAgent, listAgents, updateAgent } from "../api/endpoints";
import type { Agent } from "../api/types";
import { StatusBadge } from "../components/badges";
import { DataTable } from "../components/data_table";
import { ErrorMessage, Notice } from "../components/feedback";
import { SelectField } from "../components/fields";
import { PagedList } from "../components/paged_list";
import { formatDateTime, formatNumber } from "../format";
import { useApi, useChangeMessage, useEditor, useItemAction, usePagedList, useSitesByName } from "../hooks";
import { AgentForm } from "./agent_form";

const STATUS_FILTERS = [
  { value: "", label: "Active and paused" },
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
];
const SORTS = [
  { value: "created_at:desc", label: "Newest first" },
  { value: "created_at:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "updated_at:desc", label: "Recently changed" },
];

function AgentRow({
  agent,
  onEdit,
  onChanged,
}: {
  agent: Agent;
  onEdit: () => void;
  onChanged: (message: string) => void;
}) {
  const api = useApi();
  const { error, run } = useItemAction();
  const toggle = () => {
    const status = agent.status === "active" ? "paused" : "active";
    void run(async () => {
      await updateAgent(api, agent.id, { status });
      onChanged(`${agent.name} is now ${status}.`);
    });
  };
  const remove = () =>
    void run(async () => {
      await deleteAgent(api, agent.id);
      onChanged(`${agent.name} was deleted.`);
    }, `Delete the agent ${agent.name}? Its articles stay.`);
  return (
    <tr>
      <th scope="row">
        {agent.name}
        <small class="muted block">{agent.id}</small>
      </th>
      <td>
        <StatusBadge status={agent.status} />
      </td>
      <td>{agent.keywords.length > 0 ? agent.keywords.join(", ") : <span class="muted">none</span>}</td>
      <td>{agent.tone}</td>
      <td>{formatNumber(agent.word_target)}</td>
      <td>{agent.schedule}</td>
      <td>{formatDateTime(agent.created_at)}</td>
      <td class="actions">
        <button type="button" class="secondary" onClick={onEdit}>
          Edit
        </button>
        <button type="button" class="secondary" onClick={toggle}>
          {agent.status === "active" ? "Pause" : "Resume"}
        </button>
        <button type="button" class="danger" onClick={remove}>
          Delete
        </button>
        {error !== null && <ErrorMessage error={error} />}
      </td>
    </tr>
  );
}

export function AgentsPage() {
  const api = useApi();
  const [status, setStatus] = useState("");
  const [sort, setSort] = useState("created_at:desc");
  const editor = useEditor<Agent>();
  const agents = usePagedList((cursor) => listAgents(api, { status, sort, cursor, limit: 25 }), {
    status,
    sort,
  });
  const sites = useSitesByName();
  const { message, changed } = useChangeMessage(agents.reload);
  return (
    <>
      <div class="page-head">
        <h1>Agents</h1>
        <button type="button" onClick={editor.create}>
          New agent
        </button>
      </div>
      {message && <Notice>{message}</Notice>}
      {editor.open && (
        <AgentForm
          key={editor.key}
          agent={editor.item}
          sites={sites.data?.data ?? []}
          onCancel={editor.close}
          onSaved={(agent) => {
            editor.close();
            changed(`Saved the agent ${agent.name}. Its jobs start on the Jobs page.`);
          }}
        />
      )}
      <div class="toolbar">
        <SelectField
          id="agents-status"
          label="Status"
          value={status}
          options={STATUS_FILTERS}
          onChange={setStatus}
        />
        <SelectField id="agents-sort" label="Sort" value={sort} options={SORTS} onChange={setSort} />
      </div>
      <PagedList
        list={agents}
        loadingWhat="agents"
        empty="No agents here yet. Create one: it writes articles for its keywords."
        label="Agents"
      >
        {(items) => (
          <DataTable
            testId="agents-table"
            caption="Agents"
            busy={agents.loading}
            columns={["Name", "Status", "Keywords", "Tone", "Words", "Schedule", "Created"]}
            actions
          >
            {items.map((agent) => (
              <AgentRow key={agent.id} agent={agent} onEdit={() => editor.edit(agent)} onChanged={changed} />
            ))}
          </DataTable>
        )}
      </PagedList>
    </>
  );
}
