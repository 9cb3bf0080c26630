-- filter-service-nodes (clickhouse; generated: npm run golden)
-- filter: service("backend.example.com") OR service(id(type: "AWS::DynamoDB::Table")) OR !service(id(name: "api.example.com", account.id: "123456789012"))
-- params: [1767229200,1767229500,1767225600,1767233100,"backend.example.com","backend.example.com","AWS::DynamoDB::Table","AWS::DynamoDB::Table","api.example.com","123456789012","api.example.com",1001]
WITH
  cand AS (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= {p0:Int64}
      AND trace_time < {p1:Int64}
      AND true
    GROUP BY
      trace_id
  ),
  s0 AS (
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
      start_time >= {p2:Int64}
      AND start_time < {p3:Int64}
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
        max(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (service = {p4:String})
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = {p5:String})
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
        max(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (service_type = {p6:String})
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_type = {p7:String})
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
        max(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (
                    (service = {p8:String})
                    AND (account_id = {p9:String})
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
                    (downstream_name = {p10:String})
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
  {p11:Int64}
SETTINGS
  join_use_nulls = 1
