-- filter-any-span-user (duckdb; generated: npm run golden)
-- filter: user = "u1"
-- params: [1767229200,1767229500,1767225600,1767233100,"u1",1767225600,1767233100,"u1",1001]
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
          AND (user_name = $5)
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
      user_name
    FROM
      spans
    WHERE
      start_time >= $6
      AND start_time < $7
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  s AS (
    SELECT
      *
    FROM
      s0
  ),
  facts AS (
    SELECT
      trace_id,
      coalesce(bool_or(coalesce((user_name = $8), false)), false) AS c0,
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
      c0
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
  $9
