// Overview: the account's numbers (GET /stats) and its charts (GET /chart-data).
import { useState } from "preact/hooks";
import { getChartData, getStats } from "../api/endpoints";
import type { Stats } from "../api/types";
import { choices, SelectField } from "../components/fields";
import { ErrorMessage, Loading } from "../components/feedback";
import { ActivityChart, CategoriesChart, JobTypesChart } from "../charts/dashboard_charts";
import { formatNumber } from "../format";
import { useApi, useResource } from "../hooks";

const RANGES = ["7", "30", "90", "365"];

function StatTiles({ stats }: { stats: Stats }) {
  const tiles: [string, string][] = [
    ["Active agents", formatNumber(stats.active_agents)],
    ["Articles", formatNumber(stats.total_articles)],
    ["Average SEO score", formatNumber(stats.avg_score, 1)],
    ["Jobs pending", formatNumber(stats.jobs.pending)],
    ["Jobs processing", formatNumber(stats.jobs.processing)],
    ["Completed (24 h)", formatNumber(stats.jobs.completed_24h)],
    ["Failed (24 h)", formatNumber(stats.jobs.failed_24h)],
  ];
  return (
    <dl class="tiles" data-testid="stats">
      {tiles.map(([label, value]) => (
        <div class="tile" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function OverviewPage() {
  const api = useApi();
  const [days, setDays] = useState("30");
  const stats = useResource(() => getStats(api), []);
  const charts = useResource(() => getChartData(api, Number(days)), [days]);
  return (
    <>
      <h1>Overview</h1>
      {stats.error && <ErrorMessage error={stats.error} title="Statistics" />}
      {stats.data ? <StatTiles stats={stats.data} /> : !stats.error && <Loading what="statistics" />}
      <div class="toolbar">
        <SelectField
          id="chart-days"
          label="Period (days)"
          value={days}
          options={choices(RANGES)}
          onChange={setDays}
        />
      </div>
      {charts.error && <ErrorMessage error={charts.error} title="Charts" />}
      {charts.data ? (
        <div class="charts">
          <ActivityChart data={charts.data} />
          <CategoriesChart data={charts.data} />
          <JobTypesChart data={charts.data} />
        </div>
      ) : (
        !charts.error && <Loading what="charts" />
      )}
    </>
  );
}
