-- filter-rootcause-entity (duckdb; generated: npm run golden)
-- filter: rootcause.responsetime.entity { coverage > 0.5 AND !remote }
-- params: [1767229200,1767229500,1767225600,1767233100,"responsetime",0.5,1767225600,1767233100,1767225600,1767233100,"responsetime",0.5,1001]
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
          json_each (sv.value, '$.EntityPath') AS en
        WHERE
          trace_time >= $3
          AND trace_time < $4
          AND category = $5
          AND (
            coalesce(
              (CAST(en.value ->> '$.Coverage' AS DOUBLE) > $6),
              false
            )
            AND (
              NOT coalesce(CAST(en.value ->> '$.Remote' AS BOOLEAN), false)
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
      start_time >= $7
      AND start_time < $8
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
            json_each (sv.value, '$.EntityPath') AS en
          WHERE
            trace_time >= $9
            AND trace_time < $10
            AND category = $11
            AND (
              coalesce(
                (CAST(en.value ->> '$.Coverage' AS DOUBLE) > $12),
                false
              )
              AND (
                NOT coalesce(CAST(en.value ->> '$.Remote' AS BOOLEAN), false)
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
  $13
