-- rows-filter-route (duckdb; generated: npm run golden)
-- filter: http.route = "/api/products/{id}" OR service("backend.example.com") { http.route BEGINSWITH "/v1/" }
-- params: [1767225600,1767233100,"backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","/v1/",1767229200,1767229500,"/api/products/{id}",1001]
WITH
  f0 AS MATERIALIZED (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= $1
      AND start_time < $2
      AND coalesce(
        (
          (
            is_segment
            AND (service = $3)
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
              $4
            ),
            false
          )
        ),
        false
      )
  ),
  k AS MATERIALIZED (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= $5
      AND start_time < $6
      AND coalesce(
        (
          (
            (
              (
                downstream_name IS NOT NULL
                AND service IS NOT NULL
              )
              AND true
            )
            AND (downstream_name = $7)
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
        ),
        false
      )
      AND trace_id NOT IN (
        SELECT
          trace_id
        FROM
          f0
      )
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
          k
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
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      root_route,
      last_end - first_start AS trace_duration,
      (
        trace_id IN (
          SELECT
            trace_id
          FROM
            f0
        )
        OR trace_id IN (
          SELECT
            trace_id
          FROM
            s
          WHERE
            true
            AND coalesce(
              (
                (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = $11)
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
                    $12
                  ),
                  false
                )
              ),
              false
            )
        )
      ) AS c0
    FROM
      (
        WITH
          t0 AS MATERIALIZED (
            SELECT
              trace_id,
              id,
              parent_id,
              is_segment,
              start_time,
              end_time,
              trace_time,
              error,
              fault,
              throttle,
              http_status,
              http_url,
              http_method,
              http_user_agent,
              http_client_ip
            FROM
              spans
            WHERE
              trace_time >= $13
              AND trace_time < $14
          ),
          t1 AS (
            SELECT
              t0.*,
              (
                t0.is_segment
                AND p.id IS NULL
              ) AS is_root
            FROM
              t0
              LEFT JOIN (
                SELECT
                  trace_id,
                  id
                FROM
                  t0
              ) AS p ON p.trace_id = t0.trace_id
              AND p.id = t0.parent_id
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end,
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
          ) AS root_route
        FROM
          t1
        GROUP BY
          trace_id
      ) AS r
  ),
  matches AS (
    SELECT
      *
    FROM
      t
    WHERE
      (
        coalesce((root_route = $15), false)
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
  $16
