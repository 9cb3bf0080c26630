-- filter-annotations (duckdb; generated: npm run golden)
-- filter: annotation.tier = "gold" AND annotation.items >= 2 AND annotation[vip] = true
-- params: [1767229200,1767229500,1767225600,1767233100,"\"tier\":","/tier","/tier","gold",1767225600,1767233100,"\"items\":","/items","/items",2,1767225600,1767233100,"\"tier\":","/tier","/tier","gold","\"items\":","/items","/items",2,"\"vip\":","/vip","/vip",true,1001]
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
      AND (
        trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= $3
            AND start_time < $4
            AND (
              contains(annotations, $5)
              AND json_type(annotations, $6) = 'VARCHAR'
              AND ((annotations ->> $7) = $8)
            )
        )
        AND trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= $9
            AND start_time < $10
            AND (
              contains(annotations, $11)
              AND json_type(annotations, $12) IN ('UBIGINT', 'BIGINT', 'DOUBLE')
              AND (CAST(annotations ->> $13 AS DOUBLE) >= $14)
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
      start_time >= $15
      AND start_time < $16
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
              contains(annotations, $17)
              AND json_type(annotations, $18) = 'VARCHAR'
              AND ((annotations ->> $19) = $20)
            ),
            false
          )
        ),
        false
      ) AS c0,
      coalesce(
        bool_or(
          coalesce(
            (
              contains(annotations, $21)
              AND json_type(annotations, $22) IN ('UBIGINT', 'BIGINT', 'DOUBLE')
              AND (CAST(annotations ->> $23 AS DOUBLE) >= $24)
            ),
            false
          )
        ),
        false
      ) AS c1,
      coalesce(
        bool_or(
          coalesce(
            (
              contains(annotations, $25)
              AND json_type(annotations, $26) = 'BOOLEAN'
              AND (CAST(annotations ->> $27 AS BOOLEAN) = $28)
            ),
            false
          )
        ),
        false
      ) AS c2,
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
        (
          c0
          AND c1
        )
        AND c2
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
  $29
