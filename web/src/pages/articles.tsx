// Articles: the list sortable by score, word count and date (column headers or the sort menu),
// filtered by agent and minimum score, in cursor pages; with an s3_key in the route, the
// article's own page.
import { useState } from "preact/hooks";
import { listArticles } from "../api/endpoints";
import type { Article } from "../api/types";
import { agentFilterChoices } from "../choices";
import { ScoreBadge, StatusBadge } from "../components/badges";
import { DataTable } from "../components/data_table";
import { SelectField, TextField } from "../components/fields";
import { PagedList } from "../components/paged_list";
import { formatDateTime, formatNumber } from "../format";
import { useAgentsByName, useApi, usePagedList } from "../hooks";
import { href } from "../router";
import { ArticleDetail } from "./article_detail";

type SortField = "created_at" | "score" | "word_count";
type Direction = "asc" | "desc";

const SORT_CHOICES = [
  { value: "created_at:desc", label: "Newest first" },
  { value: "created_at:asc", label: "Oldest first" },
  { value: "score:desc", label: "Best score first" },
  { value: "score:asc", label: "Worst score first" },
  { value: "word_count:desc", label: "Longest first" },
  { value: "word_count:asc", label: "Shortest first" },
];

function SortHeader({
  field,
  label,
  sort,
  onSort,
}: {
  field: SortField;
  label: string;
  sort: string;
  onSort: (sort: string) => void;
}) {
  const [current, direction] = sort.split(":") as [SortField, Direction];
  const active = current === field;
  const next = active && direction === "desc" ? "asc" : "desc";
  return (
    <th scope="col" aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" class="link-button" onClick={() => onSort(`${field}:${next}`)}>
        {label}
        <span aria-hidden="true">{active ? (direction === "asc" ? " ▲" : " ▼") : ""}</span>
      </button>
    </th>
  );
}

function ArticleRow({ article }: { article: Article }) {
  return (
    <tr>
      <th scope="row" class="wrap">
        <a href={href("articles", article.s3_key)}>{article.title}</a>
        <small class="muted block">{article.keyword}</small>
      </th>
      <td>
        <ScoreBadge score={article.seo_score} label="SEO score" />
      </td>
      <td>
        <ScoreBadge score={article.readability_score} label="Readability score" />
      </td>
      <td>{formatNumber(article.word_count)}</td>
      <td>{formatDateTime(article.created_at)}</td>
      <td>
        <StatusBadge status={article.status} />{" "}
        {article.wp_status && <StatusBadge status={`WordPress: ${article.wp_status}`} />}
      </td>
    </tr>
  );
}

function ArticleList() {
  const api = useApi();
  const [sort, setSort] = useState("created_at:desc");
  const [agentId, setAgentId] = useState("");
  const [minScore, setMinScore] = useState("");
  const agents = useAgentsByName();
  const articles = usePagedList(
    (cursor) => listArticles(api, { sort, agent_id: agentId, min_score: minScore.trim(), cursor, limit: 25 }),
    { sort, agentId, minScore },
  );
  return (
    <>
      <h1>Articles</h1>
      <div class="toolbar">
        <SelectField id="articles-sort" label="Sort" value={sort} options={SORT_CHOICES} onChange={setSort} />
        <SelectField
          id="articles-agent"
          label="Agent"
          value={agentId}
          options={agentFilterChoices(agents.data?.data ?? [])}
          onChange={setAgentId}
        />
        <TextField
          id="articles-min-score"
          label="Minimum SEO score"
          type="number"
          value={minScore}
          onInput={setMinScore}
        />
      </div>
      <PagedList
        list={articles}
        loadingWhat="articles"
        empty={
          <>
            No articles match. A create job writes one: start it on the <a href={href("jobs")}>Jobs</a> page.
          </>
        }
        label="Articles"
      >
        {(items) => (
          <DataTable
            testId="articles-table"
            caption={<>Articles, sorted by {SORT_CHOICES.find((choice) => choice.value === sort)?.label}</>}
            busy={articles.loading}
            columns={[
              "Title",
              <SortHeader field="score" label="SEO" sort={sort} onSort={setSort} />,
              "Readability",
              <SortHeader field="word_count" label="Words" sort={sort} onSort={setSort} />,
              <SortHeader field="created_at" label="Created" sort={sort} onSort={setSort} />,
              "Status",
            ]}
          >
            {items.map((article) => (
              <ArticleRow key={article.s3_key} article={article} />
            ))}
          </DataTable>
        )}
      </PagedList>
    </>
  );
}

export function ArticlesPage({ s3Key }: { s3Key: string | null }) {
  return s3Key ? <ArticleDetail key={s3Key} s3Key={s3Key} /> : <ArticleList />;
}
