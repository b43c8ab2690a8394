// The overview's charts from GET /chart-data: activity per day (jobs created, jobs completed,
// articles), articles and average score per agent (the categories), and jobs per type.
import type { ChartConfiguration } from "chart.js";
import { useMemo } from "preact/hooks";
import type { ChartData } from "../api/types";
import { ChartCanvas, type Series } from "./chart_canvas";

const BLUE = "#1d4ed8";
const GREEN = "#15803d";
const ORANGE = "#b45309";
const RED = "#be123c";
const GREY = "#6e7781";

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false as const,
  plugins: { legend: { position: "bottom" as const } },
};

function lineConfig(labels: string[], series: Series[], colours: string[]): ChartConfiguration {
  return {
    type: "line",
    data: {
      labels,
      datasets: series.map((item, index) => ({
        label: item.label,
        data: item.values,
        borderColor: colours[index],
        backgroundColor: colours[index],
        tension: 0.25,
      })),
    },
    options: { ...BASE_OPTIONS, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

function jobTypesConfig(labels: string[], series: Series[]): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels,
      datasets: series.map((item, index) => ({
        label: item.label,
        data: item.values,
        backgroundColor: [GREEN, RED, GREY][index],
      })),
    },
    options: {
      ...BASE_OPTIONS,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

/** Articles on the left axis, the average score (0–100) on the right one. */
function categoriesConfig(labels: string[], [articles, score]: Series[]): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: articles.label, data: articles.values, backgroundColor: BLUE, yAxisID: "articles" },
        { label: score.label, data: score.values, backgroundColor: ORANGE, yAxisID: "score" },
      ],
    },
    options: {
      ...BASE_OPTIONS,
      scales: {
        articles: {
          position: "left",
          beginAtZero: true,
          ticks: { precision: 0 },
          title: { display: true, text: "Articles" },
        },
        score: {
          position: "right",
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
          title: { display: true, text: "Score" },
        },
      },
    },
  };
}

export function ActivityChart({ data }: { data: ChartData }) {
  const labels = data.activity.map((day) => day.date.slice(5));
  const series: Series[] = [
    { label: "Jobs created", values: data.activity.map((day) => day.jobs_created) },
    { label: "Jobs completed", values: data.activity.map((day) => day.jobs_completed) },
    { label: "Articles", values: data.activity.map((day) => day.articles) },
  ];
  const config = useMemo(() => lineConfig(labels, series, [BLUE, GREEN, ORANGE]), [data]);
  return (
    <ChartCanvas
      id="activity-chart"
      title={`Activity, last ${data.days} days`}
      config={config}
      labels={labels}
      series={series}
    />
  );
}

export function CategoriesChart({ data }: { data: ChartData }) {
  const labels = data.categories.map((category) => category.name);
  const series: Series[] = [
    { label: "Articles", values: data.categories.map((category) => category.articles) },
    {
      label: "Average SEO score",
      values: data.categories.map((category) =>
        category.avg_score === null ? null : Math.round(category.avg_score),
      ),
    },
  ];
  const config = useMemo(() => categoriesConfig(labels, series), [data]);
  return (
    <ChartCanvas
      id="categories-chart"
      title="Articles and average score by agent"
      config={config}
      labels={labels}
      series={series}
    />
  );
}

export function JobTypesChart({ data }: { data: ChartData }) {
  const labels = Object.keys(data.job_types);
  const counts = Object.values(data.job_types);
  const series: Series[] = [
    { label: "Completed", values: counts.map((count) => count.completed) },
    { label: "Failed", values: counts.map((count) => count.failed) },
    {
      label: "Other",
      values: counts.map((count) => Math.max(count.created - count.completed - count.failed, 0)),
    },
  ];
  const config = useMemo(() => jobTypesConfig(labels, series), [data]);
  return (
    <ChartCanvas
      id="job-types-chart"
      title={`Jobs by type, last ${data.days} days`}
      config={config}
      labels={labels}
      series={series}
    />
  );
}
