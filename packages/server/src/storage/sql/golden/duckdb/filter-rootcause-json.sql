-- filter-rootcause-json (duckdb; generated: npm run golden)
-- filter: rootcause.json = #[{"Services": [{"Name": "api.example.com", "Inferred": false}], "ClientImpacting": true}]
-- params: [1767229200,1767229500,1767225600,1767233100,"$","$.\"Services\"",1,"$.\"Services\"[0]","$.\"Services\"[0].\"Name\"","$.\"Services\"[0].\"Name\"","api.example.com","$.\"Services\"[0].\"Inferred\"","$.\"Services\"[0].\"Inferred\"",false,"$.\"ClientImpacting\"","$.\"ClientImpacting\"",true,1767225600,1767233100,1767225600,1767233100,"$","$.\"Services\"",1,"$.\"Services\"[0]","$.\"Services\"[0].\"Name\"","$.\"Services\"[0].\"Name\"","api.example.com","$.\"Services\"[0].\"Inferred\"","$.\"Services\"[0].\"Inferred\"",false,"$.\"ClientImpacting\"","$.\"ClientImpacting\"",true,1001]
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
          root_causes
        WHERE
          trace_time >= $3
          AND trace_time < $4
          AND coalesce(json_type(doc, $5) = 'OBJECT', false)
          AND coalesce(json_array_length(doc, $6) = $7, false)
          AND coalesce(json_type(doc, $8) = 'OBJECT', false)
          AND coalesce(
            json_type(doc, $9) = 'VARCHAR'
            AND (doc ->> $10) = $11,
            false
          )
          AND coalesce(
            json_type(doc, $12) = 'BOOLEAN'
            AND CAST(doc ->> $13 AS BOOLEAN) = $14,
            false
          )
          AND coalesce(
            json_type(doc, $15) = 'BOOLEAN'
            AND CAST(doc ->> $16 AS BOOLEAN) = $17,
            false
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
      start_time >= $18
      AND start_time < $19
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
            trace_id
          FROM
            root_causes
          WHERE
            trace_time >= $20
            AND trace_time < $21
            AND coalesce(json_type(doc, $22) = 'OBJECT', false)
            AND coalesce(json_array_length(doc, $23) = $24, false)
            AND coalesce(json_type(doc, $25) = 'OBJECT', false)
            AND coalesce(
              json_type(doc, $26) = 'VARCHAR'
              AND (doc ->> $27) = $28,
              false
            )
            AND coalesce(
              json_type(doc, $29) = 'BOOLEAN'
              AND CAST(doc ->> $30 AS BOOLEAN) = $31,
              false
            )
            AND coalesce(
              json_type(doc, $32) = 'BOOLEAN'
              AND CAST(doc ->> $33 AS BOOLEAN) = $34,
              false
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
  $35
