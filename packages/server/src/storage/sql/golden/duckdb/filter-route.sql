-- filter-route (duckdb; generated: npm run golden)
-- filter: http.route = "/api/products/{id}" OR service("backend.example.com") { http.route BEGINSWITH "/v1/" }
-- params: [1767229200,1767229500,1767225600,1767233100,"/api/products/{id}","backend.example.com","backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","backend.example.com","/v1/","/api/products/{id}",1001]
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
            (
              is_segment
              AND coalesce(
                (
                  (
                    CASE
                      WHEN http_url IS NOT NULL THEN coalesce(
                        nullif(
                          array_to_string(
                            list_transform(
                              string_split(
                                regexp_replace(
                                  split_part(split_part(http_url, '?', 1), '#', 1),
                                  '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                                  ''
                                ),
                                '/'
                              ),
                              lambda s: CASE
                                WHEN regexp_matches(s, '[0-9]')
                                AND NOT regexp_matches(s, '^[vV][0-9]+$') THEN '{id}'
                                ELSE s
                              END
                            ),
                            '/'
                          ),
                          ''
                        ),
                        '/'
                      )
                    END
                  ) = $5
                ),
                false
              )
            )
            OR (
              (
                (
                  is_segment
                  AND (service = $6)
                )
                OR (
                  downstream_name IS NOT NULL
                  AND (downstream_name = $7)
                )
              )
              AND coalesce(
                starts_with(
                  (
                    CASE
                      WHEN http_url IS NOT NULL THEN coalesce(
                        nullif(
                          array_to_string(
                            list_transform(
                              string_split(
                                regexp_replace(
                                  split_part(split_part(http_url, '?', 1), '#', 1),
                                  '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                                  ''
                                ),
                                '/'
                              ),
                              lambda s: CASE
                                WHEN regexp_matches(s, '[0-9]')
                                AND NOT regexp_matches(s, '^[vV][0-9]+$') THEN '{id}'
                                ELSE s
                              END
                            ),
                            '/'
                          ),
                          ''
                        ),
                        '/'
                      )
                    END
                  ),
                  $8
                ),
                false
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
      service,
      downstream_name,
      http_url,
      service_type,
      account_id
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
      (
        s0.is_segment
        AND p.id IS NULL
      ) AS is_root,
      c.callee_service,
      c.callee_type,
      c.callee_account
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
      LEFT JOIN callee AS c ON c.trace_id = s0.trace_id
      AND c.parent_id = s0.id
  ),
  facts AS (
    SELECT
      trace_id,
      arg_min_null(
        (
          CASE
            WHEN http_url IS NOT NULL THEN coalesce(
              nullif(
                array_to_string(
                  list_transform(
                    string_split(
                      regexp_replace(
                        split_part(split_part(http_url, '?', 1), '#', 1),
                        '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                        ''
                      ),
                      '/'
                    ),
                    lambda s: CASE
                      WHEN regexp_matches(s, '[0-9]')
                      AND NOT regexp_matches(s, '^[vV][0-9]+$') THEN '{id}'
                      ELSE s
                    END
                  ),
                  '/'
                ),
                ''
              ),
              '/'
            )
          END
        ),
        start_time
      ) FILTER(
        WHERE
          is_root
      ) AS root_route,
      coalesce(
        bool_or(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (service = $11)
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = $12)
                )
              )
              AND coalesce(
                starts_with(
                  (
                    CASE
                      WHEN http_url IS NOT NULL THEN coalesce(
                        nullif(
                          array_to_string(
                            list_transform(
                              string_split(
                                regexp_replace(
                                  split_part(split_part(http_url, '?', 1), '#', 1),
                                  '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                                  ''
                                ),
                                '/'
                              ),
                              lambda s: CASE
                                WHEN regexp_matches(s, '[0-9]')
                                AND NOT regexp_matches(s, '^[vV][0-9]+$') THEN '{id}'
                                ELSE s
                              END
                            ),
                            '/'
                          ),
                          ''
                        ),
                        '/'
                      )
                    END
                  ),
                  $13
                ),
                false
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
      (
        coalesce((root_route = $14), false)
        OR c0
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
