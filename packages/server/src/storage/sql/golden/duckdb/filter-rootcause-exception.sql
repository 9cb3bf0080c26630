-- filter-rootcause-exception (duckdb; generated: npm run golden)
-- filter: rootcause.error.exception { message CONTAINS "timeout" OR index = 0 }
-- params: [1767229200,1767229500,1767225600,1767233100,"error","timeout",0,1767225600,1767233100,1767225600,1767233100,"error","timeout",0,1001]
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
          rc.trace_id
        FROM
          root_causes AS rc,
          json_each (rc.doc, '$.Services') AS sv,
          json_each (sv.value, '$.EntityPath') AS en,
          json_each (en.value, '$.Exceptions') AS ex
        WHERE
          trace_time >= $3
          AND trace_time < $4
          AND category = $5
          AND (
            coalesce(contains((ex.value ->> '$.Message'), $6), false)
            OR coalesce((CAST(ex.key AS INTEGER) = $7), false)
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
      end_time
    FROM
      spans
    WHERE
      start_time >= $8
      AND start_time < $9
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
      (
        trace_id IN (
          SELECT
            rc.trace_id
          FROM
            root_causes AS rc,
            json_each (rc.doc, '$.Services') AS sv,
            json_each (sv.value, '$.EntityPath') AS en,
            json_each (en.value, '$.Exceptions') AS ex
          WHERE
            trace_time >= $10
            AND trace_time < $11
            AND category = $12
            AND (
              coalesce(contains((ex.value ->> '$.Message'), $13), false)
              OR coalesce((CAST(ex.key AS INTEGER) = $14), false)
            )
        )
      )
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
  $15
