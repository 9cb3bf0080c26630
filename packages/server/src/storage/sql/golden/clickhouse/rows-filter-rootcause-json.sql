-- rows-filter-rootcause-json (clickhouse; generated: npm run golden)
-- filter: rootcause.json = #[{"Services": [{"Name": "api.example.com", "Inferred": false}], "ClientImpacting": true}]
-- params: [1767229200,1767229500,1767225600,1767233100,"Services","Services",1,"Services",1,"Services",1,"Name","Services",1,"Name","api.example.com","Services",1,"Inferred","Services",1,"Inferred",false,"ClientImpacting","ClientImpacting",true,1001]
WITH
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      last_end - first_start AS trace_duration
    FROM
      (
        WITH
          t0 AS (
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
              trace_time >= {p0:Int64}
              AND trace_time < {p1:Int64}
          ),
          t1 AS (
            SELECT
              *
            FROM
              t0
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end
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
        trace_id IN (
          SELECT
            trace_id
          FROM
            root_causes
          WHERE
            trace_time >= {p2:Int64}
            AND trace_time < {p3:Int64}
            AND (JSONType(doc) = 'Object')
            AND (
              JSONType(doc, {p4:String}) = 'Array'
              AND JSONLength(doc, {p5:String}) = {p6:Int64}
            )
            AND (JSONType(doc, {p7:String}, {p8:Int64}) = 'Object')
            AND (
              JSONType(doc, {p9:String}, {p10:Int64}, {p11:String}) = 'String'
              AND JSONExtractString(doc, {p12:String}, {p13:Int64}, {p14:String}) = {p15:String}
            )
            AND (
              JSONType(doc, {p16:String}, {p17:Int64}, {p18:String}) = 'Bool'
              AND JSONExtractBool(doc, {p19:String}, {p20:Int64}, {p21:String}) = {p22:Bool}
            )
            AND (
              JSONType(doc, {p23:String}) = 'Bool'
              AND JSONExtractBool(doc, {p24:String}) = {p25:Bool}
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
  {p26:Int64}
SETTINGS
  join_use_nulls = 1
