-- filter-ok (duckdb; generated: npm run golden)
-- filter: ok
-- params: [1767229200,1767229500,1767225600,1767233100,1767225600,1767233100,1001]
WITH
  cand AS MATERIALIZED (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= $1
      AND trace_time < $2
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= $3
          AND start_time < $4
          AND (
            is_segment
            AND (
              NOT error
              AND NOT fault
              AND NOT throttle
            )
          )
      )
    GROUP BY
      trace_id
  ),
  s0 AS MATERIALIZED (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      start_time,
      end_time,
      error,
      fault,
      throttle
    FROM
      spans
    WHERE
      start_time >= $5
      AND start_time < $6
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  s AS (
    SELECT
      s0.*,
      (
        s0.is_segment
        AND p.id IS NULL
      ) AS is_root
    FROM
      s0
      LEFT JOIN (
        SELECT
          trace_id,
          id
        FROM
          s0
      ) AS p ON p.trace_id = s0.trace_id
      AND p.id = s0.parent_id
  ),
  facts AS (
    SELECT
      trace_id,
      arg_min_null(
        (
          NOT error
          AND NOT fault
          AND NOT throttle
        ),
        start_time
      ) FILTER(
        WHERE
          is_root
      ) AS root_ok,
      max(coalesce(end_time, start_time)) - min(start_time) AS trace_duration
    FROM
      s
    GROUP BY
      trace_id
  ),
  matches AS (
    SELECT
      trace_id,
      matched,
      trace_time
    FROM
      facts
      JOIN cand USING (trace_id)
    WHERE
      coalesce(root_ok, false)
  )
SELECT
  trace_id,
  matched,
  trace_time
FROM
  matches
WHERE
  true
ORDER BY
  matched DESC,
  trace_id DESC
LIMIT
  $7
