-- filter-rootcause-json (clickhouse; generated: npm run golden)
-- filter: rootcause.json = #[{"Services": [{"Name": "api.example.com", "Inferred": false}], "ClientImpacting": true}]
-- params: [1767229200,1767229500,1767225600,1767233100,"Services","Services",1,"Services",1,"Services",1,"Name","Services",1,"Name","api.example.com","Services",1,"Inferred","Services",1,"Inferred",false,"ClientImpacting","ClientImpacting",true,1767225600,1767233100,1767225600,1767233100,"Services","Services",1,"Services",1,"Services",1,"Name","Services",1,"Name","api.example.com","Services",1,"Inferred","Services",1,"Inferred",false,"ClientImpacting","ClientImpacting",true,1001]
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
      start_time >= {p26:Int64}
      AND start_time < {p27:Int64}
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
            trace_time >= {p28:Int64}
            AND trace_time < {p29:Int64}
            AND (JSONType(doc) = 'Object')
            AND (
              JSONType(doc, {p30:String}) = 'Array'
              AND JSONLength(doc, {p31:String}) = {p32:Int64}
            )
            AND (
              JSONType(doc, {p33:String}, {p34:Int64}) = 'Object'
            )
            AND (
              JSONType(doc, {p35:String}, {p36:Int64}, {p37:String}) = 'String'
              AND JSONExtractString(doc, {p38:String}, {p39:Int64}, {p40:String}) = {p41:String}
            )
            AND (
              JSONType(doc, {p42:String}, {p43:Int64}, {p44:String}) = 'Bool'
              AND JSONExtractBool(doc, {p45:String}, {p46:Int64}, {p47:String}) = {p48:Bool}
            )
            AND (
              JSONType(doc, {p49:String}) = 'Bool'
              AND JSONExtractBool(doc, {p50:String}) = {p51:Bool}
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
  {p52:Int64}
