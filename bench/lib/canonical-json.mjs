// JSON with every object's keys sorted, for comparing document contents that
// passed through different hands: quill-delta and PostgreSQL's jsonb both
// reorder `insert` / `attributes`, so a plain JSON.stringify reports
// divergence where there is none.

/** JSON.stringify of `value` with object keys in sorted order, at every depth. */
export function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
