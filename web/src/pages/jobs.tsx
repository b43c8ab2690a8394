// Jobs: the list with its filters (agent, status, type) and cursor pages, the form that starts
// one, and — with an id in the route — the job's own page.
import { useState } from "preact/hooks";
import { listJobs } from "../api/endpoints";
import { JOB_STATUSES, JOB_TYPES } from "../api/types";
import { agentFilterChoices, anyOf } from "../choices";
import { StatusBadge } from "../components/badges";
import { DataTable } from "../components/data_table";
import { Empty, ErrorMessage } from "../components/feedback";
import { SelectField } from "../components/fields";
import { PagedList } from "../components/paged_list";
import { formatDateTime } from "../format";
import { useAgentsByName, useApi, usePagedList } from "../hooks";
import { href } from "../router";
import { JobDetail } from "./job_detail";
import { JobStartForm } from "./job_start_form";

function JobList() {
  const api = useApi();
  const [agentId, setAgentId] = useState("");
  const [status, setStatus] = useState("");
  const [jobType, setJobType] = useState("");
  const agents = useAgentsByName();
  const jobs = usePagedList(
    (cursor) => listJobs(api, { agent_id: agentId, status, job_type: jobType, cursor, limit: 25 }),
    { agentId, status, jobType },
  );
  const agentList = agents.data?.data ?? [];
  const agentName = (id: string) => agentList.find((agent) => agent.id === id)?.name ?? id;
  return (
    <>
      <h1>Jobs</h1>
      {agents.error && <ErrorMessage error={agents.error} title="Agents" />}
      {agents.data && agentList.length === 0 && (
        <Empty>
          Jobs run for an agent: <a href={href("agents")}>create an agent</a> first.
        </Empty>
      )}
      {agentList.length > 0 && <JobStartForm agents={agentList} />}
      <h2>All jobs</h2>
      <div class="toolbar">
        <SelectField
          id="jobs-agent"
          label="Agent"
          value={agentId}
          options={agentFilterChoices(agentList)}
          onChange={setAgentId}
        />
        <SelectField
          id="jobs-status"
          label="Status"
          value={status}
          options={anyOf(JOB_STATUSES, "Any status")}
          onChange={setStatus}
        />
        <SelectField
          id="jobs-type"
          label="Type"
          value={jobType}
          options={anyOf(JOB_TYPES, "Any type")}
          onChange={setJobType}
        />
        <button type="button" class="secondary" onClick={jobs.reload}>
          Refresh
        </button>
      </div>
      <PagedList list={jobs} loadingWhat="jobs" empty="No jobs match." label="Jobs">
        {(items) => (
          <DataTable
            testId="jobs-table"
            caption="Jobs"
            busy={jobs.loading}
            columns={["Job", "Type", "Status", "Agent", "Keyword or article", "Created"]}
          >
            {items.map((job) => (
              <tr key={job.job_id}>
                <th scope="row">
                  <a href={href("jobs", job.job_id)}>{job.job_id}</a>
                </th>
                <td>{job.job_type}</td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>{agentName(job.agent_id)}</td>
                <td class="wrap">{job.keyword ?? job.s3_key ?? job.site_id ?? "—"}</td>
                <td>{formatDateTime(job.created_at)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </PagedList>
    </>
  );
}

export function JobsPage({ jobId }: { jobId: string | null }) {
  return jobId ? <JobDetail key={jobId} jobId={jobId} /> : <JobList />;
}
