// Where an acknowledgement's time goes, from the services' own Prometheus
// histograms of collab_op_ack_seconds: on a gateway it runs from the op frame
// received to the ack sent, on a doc-service from the request read off its
// inbox to the reply published. Quantiles come from the bucket counts
// (linear within a bucket, as Prometheus' histogram_quantile does), so they
// are as coarse as the buckets.

async function bucketsOf(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const text = await response.text();
    const buckets = [];
    for (const line of text.split('\n')) {
      const match = line.match(/^collab_op_ack_seconds_bucket\{le="([^"]+)"\} (\d+(?:\.\d+)?)/);
      if (match) buckets.push([match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2])]);
    }
    return buckets;
  } catch {
    return null;
  }
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

/**
 * `endpoints`: label -> metrics URL. Returns a function that, at the window's
 * end, gives each service's p50/p99 (ms) of the operations answered within
 * the window, or null where a service could not be read.
 */
export async function startLatencyScrape(endpoints) {
  const before = Object.fromEntries(
    await Promise.all(Object.entries(endpoints).map(async ([label, url]) => [label, await bucketsOf(url)])),
  );
  return async () => {
    const result = {};
    for (const [label, url] of Object.entries(endpoints)) {
      const after = await bucketsOf(url);
      if (!after || !before[label]) {
        result[label] = null;
        continue;
      }
      const window = after.map(([bound, count], i) => [bound, count - (before[label][i]?.[1] ?? 0)]);
      result[label] = {
        ops: window.at(-1)[1],
        p50_ms: quantile(window, 0.5),
        p99_ms: quantile(window, 0.99),
      };
    }
    return result;
  };
}
