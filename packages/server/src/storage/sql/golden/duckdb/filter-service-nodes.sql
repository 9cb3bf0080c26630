-- filter-service-nodes (duckdb; generated: npm run golden)
-- filter: service("backend.example.com") OR service(id(type: "AWS::DynamoDB::Table")) OR !service(id(name: "api.example.com", account.id: "123456789012"))
-- params: [1767229200,1767229500,1767225600,1767233100,"backend.example.com","backend.example.com","AWS::DynamoDB::Table","AWS::DynamoDB::Table","api.example.com","123456789012","api.example.com",1001]
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
      AND true
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
      service,
      downstream_name,
      service_type,
      downstream_type,
      account_id
    FROM
      spans
    WHERE
      start_time >= $3
      AND start_time < $4
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  callee AS (
    SELECT
      trace_id,
      parent_id,
      service AS callee_service,
      service_type AS callee_type,
      account_id AS callee_account
    FROM
      s0
    WHERE
      is_segment
      AND parent_id IS NOT NULL
  ),
  s AS (
    SELECT
      s0.*,
      c.callee_service,
      c.callee_type,
      c.callee_account
    FROM
      s0
      LEFT JOIN callee AS c ON c.trace_id = s0.trace_id
      AND c.parent_id = s0.id
  ),
  facts AS (
    SELECT
      trace_id,
      coalesce(
        bool_or(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (service = $5)
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = $6)
                )
              )
              AND true
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
              (
                (
                  is_segment
                  AND (service_type = $7)
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_type = $8)
                )
              )
              AND true
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
              (
                (
                  is_segment
                  AND (
                    (service = $9)
                    AND (account_id = $10)
                  )
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (
                    (downstream_name = $11)
                    AND false
                  )
                )
              )
              AND true
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
          OR c1
        )
        OR (NOT c2)
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
  $12
