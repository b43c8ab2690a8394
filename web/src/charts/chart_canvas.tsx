// One Chart.js chart on a canvas, created on mount and destroyed on unmount. Only the
// controllers, elements and scales the dashboard uses are registered (tree-shaken bundle).
// The canvas carries its data summary in data-* attributes and a table of the same numbers
// follows it for screen readers.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export interface Series {
  label: string;
  values: (number | null)[];
}

interface ChartCanvasProps {
  id: string;
  title: string;
  config: ChartConfiguration;
  labels: string[];
  series: Series[];
}

function DataTable({ title, labels, series }: { title: string; labels: string[]; series: Series[] }) {
  return (
    <details class="chart-data">
      <summary>{title} as a table</summary>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">—</th>
              {series.map((item) => (
                <th scope="col" key={item.label}>
                  {item.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((item) => (
                  <td key={item.label}>{item.values[row] ?? "—"}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function ChartCanvas({ id, title, config, labels, series }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  const points = series.reduce((sum, item) => sum + item.values.filter((value) => value !== null).length, 0);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div class="chart-box">
        <canvas
          id={id}
          ref={canvas}
          role="img"
          aria-label={`${title} chart; the numbers are in the table below`}
          data-datasets={series.length}
          data-points={points}
        />
      </div>
      <DataTable title={title} labels={labels} series={series} />
    </figure>
  );
}
