/**
 * The value of one series in a Prometheus text exposition (what `/metrics`
 * answers): `name` for an unlabelled series, `name{label="value",...}` for a
 * labelled one, with its labels in the order the process prints them.
 *
 * A labelled series nothing has counted yet is not listed at all; it reads 0
 * as long as its metric is declared (its `# TYPE` line; a histogram's
 * `_count`, `_sum` and `_bucket` series belong to the histogram's name). A
 * name the process does not declare throws: a misspelt name must fail a test,
 * not pass a check for 0.
 */
export function metricSample(exposition: string, series: string): number {
  const lines = exposition.split('\n');
  const line = lines.find((l) => l.startsWith(`${series} `));
  if (line !== undefined) return Number(line.slice(series.length + 1).split(' ')[0]);
  const name = series.replace(/\{.*$/, '');
  const families = [name, name.replace(/_(count|sum|bucket)$/, '')];
  if (lines.some((l) => families.some((family) => l.startsWith(`# TYPE ${family} `)))) return 0;
  throw new Error(`no metric ${name} in this /metrics`);
}

/**
 * Scrapes `/metrics` of the running process at `baseUrl`
 * (`http://127.0.0.1:<port>`) and reads one series from it; see
 * {@link metricSample}. Each call is a fresh scrape: compare series of one
 * moment with {@link metricSample} on one scraped text.
 */
export async function scrapeMetric(baseUrl: string, series: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`${baseUrl}/metrics answered ${response.status}`);
  return metricSample(await response.text(), series);
}
