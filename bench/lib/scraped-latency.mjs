// Where an acknowledgement's time goes, from the services' own Prometheus
// metrics: the histograms of collab_op_ack_seconds (on a gateway from the op
// frame received to the ack sent, on a doc-service from the request read off
// its inbox to the reply published), and beside them what holds a service's
// event loop: its GC pauses (collab_nodejs_gc_duration_seconds, by kind),
// on a gateway the parts of an operation (collab_gateway_op_stage_seconds:
// its checks, and the route to the owner and back), and on a doc-service its
// commit statements to PostgreSQL (collab_commit_statement_seconds).
// Not the default metrics' event-loop lag: it includes their 100 ms sampling
// interval, too coarse for a tail of milliseconds. Quantiles come from the
// bucket counts (linear within a bucket, as Prometheus' histogram_quantile
// does), so they are as coarse as the buckets.

/** The series of one scrape: name{labels} -> value. */
async function scrape(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const series = new Map();
    for (const line of (await response.text()).split('\n')) {
      const match = line.match(/^([a-z_]+(?:\{[^}]*\})?) (-?[\d.e+-]+|NaN|\+Inf)$/);
      if (match) series.set(match[1], Number(match[2]));
    }
    return series;
  } catch {
    return null;
  }
}

/** Cumulative buckets [bound, count] of histogram `name` whose other labels are `labels` (e.g. 'kind="minor"'), or none. */
function bucketsOf(series, name, labels = '') {
  const buckets = [];
  for (const [key, count] of series) {
    const match = key.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"${labels ? `,${labels}` : ''}\\}$`));
    if (match) buckets.push([match[1] === '+Inf' ? Infinity : Number(match[1]), count]);
  }
  return buckets.sort((a, b) => a[0] - b[0]);
}

/** The window's buckets: `after` minus `before`, bound by bound. */
function windowOf(after, before) {
  return after.map(([bound, count], i) => [bound, count - (before[i]?.[1] ?? 0)]);
}

/** How many of the window's observations were above `seconds` (a bucket bound of the histogram). */
function over(buckets, seconds) {
  const total = buckets.at(-1)?.[1] ?? 0;
  const within = buckets.find(([bound]) => bound === seconds);
  return within ? total - within[1] : null;
}

function quantile(buckets, q) {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound * 1000;
      const within = count === lowerCount ? 0 : (rank - lowerCount) / (count - lowerCount);
      return Math.round((lowerBound + (bound - lowerBound) * within) * 1e5) / 100;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return null;
}

/** Pauses of each GC kind in the window: how many, and how many lasted 5 ms or more, 10 ms or more. */
function gcPauses(after, before) {
  const out = {};
  for (const kind of ['minor', 'major', 'incremental', 'weakcb']) {
    const name = 'collab_nodejs_gc_duration_seconds';
    const window = windowOf(
      bucketsOf(after, name, `kind="${kind}"`),
      bucketsOf(before, name, `kind="${kind}"`),
    );
    const total = window.at(-1)?.[1] ?? 0;
    if (total === 0) continue;
    const atMost = (bound) => window.find(([b]) => b === bound)?.[1] ?? total;
    const sum =
      (after.get(`${name}_sum{kind="${kind}"}`) ?? 0) - (before.get(`${name}_sum{kind="${kind}"}`) ?? 0);
    out[kind] = {
      pauses: total,
      ms: Math.round(sum * 1e4) / 10,
      ge_5ms: total - atMost(0.005),
      ge_10ms: total - atMost(0.01),
    };
  }
  return out;
}

/**
 * A gateway's parts of an operation (collab_gateway_op_stage_seconds), and a
 * doc-service's commit statements (collab_commit_statement_seconds), p50/p99
 * each; none where a service has neither.
 */
function stages(after, before) {
  const out = {};
  const commits = windowOf(
    bucketsOf(after, 'collab_commit_statement_seconds'),
    bucketsOf(before, 'collab_commit_statement_seconds'),
  );
  if ((commits.at(-1)?.[1] ?? 0) > 0) {
    out.commit_p50_ms = quantile(commits, 0.5);
    out.commit_p99_ms = quantile(commits, 0.99);
    out.commit_over_20ms = over(commits, 0.02);
  }
  for (const stage of ['checks', 'route']) {
    const name = 'collab_gateway_op_stage_seconds';
    const window = windowOf(
      bucketsOf(after, name, `stage="${stage}"`),
      bucketsOf(before, name, `stage="${stage}"`),
    );
    if ((window.at(-1)?.[1] ?? 0) === 0) continue;
    out[`${stage}_p50_ms`] = quantile(window, 0.5);
    out[`${stage}_p99_ms`] = quantile(window, 0.99);
    out[`${stage}_over_20ms`] = over(window, 0.02);
  }
  return out;
}

/**
 * `endpoints`: label -> metrics URL. Returns a function that, at the window's
 * end, gives each service's p50/p99 (ms) of the operations answered within
 * the window and its GC pauses in the window, or null where a service could
 * not be read.
 */
export async function startLatencyScrape(endpoints) {
  const before = Object.fromEntries(
    await Promise.all(Object.entries(endpoints).map(async ([label, url]) => [label, await scrape(url)])),
  );
  return async () => {
    const result = {};
    for (const [label, url] of Object.entries(endpoints)) {
      const after = await scrape(url);
      if (!after || !before[label]) {
        result[label] = null;
        continue;
      }
      const acks = windowOf(
        bucketsOf(after, 'collab_op_ack_seconds'),
        bucketsOf(before[label], 'collab_op_ack_seconds'),
      );
      result[label] = {
        ops: acks.at(-1)?.[1] ?? 0,
        p50_ms: quantile(acks, 0.5),
        p99_ms: quantile(acks, 0.99),
        over_20ms: over(acks, 0.02),
        ...stages(after, before[label]),
        gc: gcPauses(after, before[label]),
      };
    }
    return result;
  };
}
