-- filter-rootcause-service (duckdb; generated: npm run golden)
-- filter: rootcause.fault.service { name = "backend.example.com" AND last }
-- params: [1767229200,1767229500,1767225600,1767233100,"fault","backend.example.com","$.Services",1767225600,1767233100,1767225600,1767233100,"fault","backend.example.com","$.Services",1001]
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
          json_each (rc.doc, '$.Services') AS sv
        WHERE
          trace_time >= $3
          AND trace_time < $4
          AND category = $5
          AND (
            coalesce(((sv.value ->> '$.Name') = $6), false)
            AND coalesce(
              (
                CAST(sv.key AS INTEGER) = json_array_length(rc.doc, $7) - 1
              ),
              false
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
            json_each (rc.doc, '$.Services') AS sv
          WHERE
            trace_time >= $10
            AND trace_time < $11
            AND category = $12
            AND (
              coalesce(((sv.value ->> '$.Name') = $13), false)
              AND coalesce(
                (
                  CAST(sv.key AS INTEGER) = json_array_length(rc.doc, $14) - 1
                ),
                false
              )
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
