-- filter-annotation-present (duckdb; generated: npm run golden)
-- filter: annotation.tier
-- params: [1767229200,1767229500,1767225600,1767233100,"\"tier\":","/tier","/tier","/tier",1767225600,1767233100,"\"tier\":","/tier","/tier","/tier",1001]
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
            contains(annotations, $5)
            AND (
              json_type(annotations, $6) IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE')
              OR (
                json_type(annotations, $7) = 'BOOLEAN'
                AND (annotations ->> $8) = 'true'
              )
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
      annotations
    FROM
      spans
    WHERE
      start_time >= $9
      AND start_time < $10
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
      coalesce(
        bool_or(
          coalesce(
            (
              contains(annotations, $11)
              AND (
                json_type(annotations, $12) IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE')
                OR (
                  json_type(annotations, $13) = 'BOOLEAN'
                  AND (annotations ->> $14) = 'true'
                )
              )
            ),
            false
          )
        ),
        false
      ) AS c0,
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
  $15
