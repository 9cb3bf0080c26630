-- filter-rootcause-exception (clickhouse; generated: npm run golden)
-- filter: rootcause.error.exception { message CONTAINS "timeout" OR index = 0 }
-- params: [1767229200,1767229500,1767225600,1767233100,"error","timeout",0,1767225600,1767233100,1767225600,1767233100,"error","timeout",0,1001]
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
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          root_causes
        WHERE
          trace_time >= {p2:Int64}
          AND trace_time < {p3:Int64}
          AND category = {p4:String}
          AND arrayExists(
            sv -> arrayExists(
              en -> arrayExists(
                (ex, ex_i) -> (
                  coalesce(
                    (
                      position(
                        JSONExtract(ex, 'Message', 'Nullable(String)'),
                        {p5:String}
                      ) > 0
                    ),
                    false
                  )
                  OR coalesce(((ex_i - 1) = {p6:Int64}), false)
                ),
                JSONExtractArrayRaw(en, 'Exceptions'),
                arrayEnumerate(JSONExtractArrayRaw(en, 'Exceptions'))
              ),
              JSONExtractArrayRaw(sv, 'EntityPath')
            ),
            JSONExtractArrayRaw(doc, 'Services')
          )
      )
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
      end_time
    FROM
      spans
    WHERE
      start_time >= {p7:Int64}
      AND start_time < {p8:Int64}
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
            trace_time >= {p9:Int64}
            AND trace_time < {p10:Int64}
            AND category = {p11:String}
            AND arrayExists(
              sv -> arrayExists(
                en -> arrayExists(
                  (ex, ex_i) -> (
                    coalesce(
                      (
                        position(
                          JSONExtract(ex, 'Message', 'Nullable(String)'),
                          {p12:String}
                        ) > 0
                      ),
                      false
                    )
                    OR coalesce(((ex_i - 1) = {p13:Int64}), false)
                  ),
                  JSONExtractArrayRaw(en, 'Exceptions'),
                  arrayEnumerate(JSONExtractArrayRaw(en, 'Exceptions'))
                ),
                JSONExtractArrayRaw(sv, 'EntityPath')
              ),
              JSONExtractArrayRaw(doc, 'Services')
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
  {p14:Int64}
