-- describe-v1.sql: the schema fingerprint's describe statement as it was
-- at commit 445c6f1 (pgc/schema.pgc), with the settings it pinned, kept
-- verbatim but for $1 and $2 (the history table's schema and name, which
-- psql fills in here), so that tests/t501-schema-describe-same.t can
-- check that the statement of today gives the very same text, and so
-- the very same hash, as the one every fingerprint recorded so far was
-- computed with.
-- Never edit it: a describe statement that changes the text needs a new
-- fixture and a plan for the recorded hashes, not a change here.
--
-- Run with psql -X -At -1 -v history_schema=... -v history_name=... -f;
-- the pins are transaction-local, as in run_describe.
\o /dev/null
SELECT pg_catalog.set_config('search_path', 'pg_catalog, public, pg_temp', true), pg_catalog.set_config('DateStyle', 'ISO, MDY', true), pg_catalog.set_config('IntervalStyle', 'postgres', true), pg_catalog.set_config('TimeZone', 'UTC', true), pg_catalog.set_config('extra_float_digits', '1', true), pg_catalog.set_config('bytea_output', 'hex', true), pg_catalog.set_config('lc_monetary', 'C', true), pg_catalog.set_config('standard_conforming_strings', 'on', true), pg_catalog.set_config('quote_all_identifiers', 'off', true), pg_catalog.set_config('join_collapse_limit', '1', true), pg_catalog.set_config('from_collapse_limit', '1', true);
\o
WITH
ns AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl
  FROM pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND left(n.nspname, 8) <> 'pg_toast'
    AND left(n.nspname, 7) <> 'pg_temp'
),
ext AS (
  SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
),
hist AS (
  SELECT c.oid
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname::text = :'history_schema' AND c.relname::text = :'history_name'
),
rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relowner, c.relacl, c.relpersistence,
    c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.reloptions,
    c.reltablespace, c.relispartition, c.relpartbound, c.relam, c.reloftype,
    n.nspname, format('%I.%I', n.nspname, c.relname) AS qname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND c.oid NOT IN (SELECT oid FROM hist)
    AND NOT EXISTS (SELECT 1 FROM ext e
      WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
    AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN hist h ON h.oid = d.refobjid
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
),
typ AS (
  SELECT t.oid, t.typname, t.typtype, t.typowner, t.typacl, t.typbasetype,
    t.typtypmod, t.typnotnull, t.typdefault, t.typcollation, t.typrelid,
    n.nspname, format('%I.%I', n.nspname, t.typname) AS qname
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
    AND NOT EXISTS (SELECT 1 FROM ext e
      WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
    AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid)
    AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c
      WHERE c.oid = t.typrelid) = 'c')
),
fn AS (
  SELECT p.oid, p.prokind, p.proowner, p.proacl, n.nspname, p.proname,
    format('%I.%I(%s)', n.nspname, p.proname,
      pg_get_function_identity_arguments(p.oid)) AS qname
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext e
    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
    -- nor the constructors that come with a range type
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
        AND d.deptype = 'i')
),
lines (k, ord, line) AS (
  -- extensions, wherever they live; their member objects are left out
  SELECT ARRAY['', 'e', x.extname::text], 0,
    format('extension %I version %s schema %I', x.extname, x.extversion,
      xn.nspname)
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM pg_extension x JOIN pg_namespace xn ON xn.oid = x.extnamespace
  LEFT JOIN pg_description ds ON ds.objoid = x.oid
    AND ds.classoid = 'pg_extension'::regclass AND ds.objsubid = 0
  UNION ALL
  -- default privileges
  SELECT ARRAY['', 'd', pg_get_userbyid(da.defaclrole)::text,
      coalesce(dn.nspname::text, ''), da.defaclobjtype::text], 0,
    format('default-privileges role %I%s on %s acl {%s}',
      pg_get_userbyid(da.defaclrole),
      CASE WHEN dn.nspname IS NULL THEN ''
        ELSE format(' schema %I', dn.nspname) END,
      CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
        WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'
        WHEN 'n' THEN 'schemas' ELSE da.defaclobjtype::text END,
      (SELECT string_agg(a::text, ',' ORDER BY a::text COLLATE "C")
        FROM unnest(da.defaclacl) a))
  FROM pg_default_acl da LEFT JOIN pg_namespace dn ON dn.oid = da.defaclnamespace
  UNION ALL
  -- event triggers
  SELECT ARRAY['', 'v', et.evtname::text], 0,
    format('event-trigger %I on %s enabled %s tags {%s} execute %s',
      et.evtname, et.evtevent, et.evtenabled,
      array_to_string(ARRAY(SELECT quote_literal(g) FROM unnest(et.evttags) g
        ORDER BY g COLLATE "C"), ','), et.evtfoid::regprocedure)
  FROM pg_event_trigger et
  UNION ALL
  -- schemas
  SELECT ARRAY[n.nspname::text], 0,
    format('schema %I owner %I acl {%s}', n.nspname,
      pg_get_userbyid(n.nspowner),
      (SELECT string_agg(a::text, ',' ORDER BY a::text COLLATE "C")
        FROM unnest(coalesce(n.nspacl, acldefault('n', n.nspowner))) a))
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM ns n
  LEFT JOIN pg_description ds ON ds.objoid = n.oid
    AND ds.classoid = 'pg_namespace'::regclass AND ds.objsubid = 0
  UNION ALL
  -- types: enums, domains, composites, ranges, base types
  SELECT ARRAY[t.nspname::text, 't', t.typname::text], 0,
    format('type %s %s owner %I acl {%s}', t.qname,
      CASE t.typtype WHEN 'b' THEN 'base' WHEN 'c' THEN 'composite'
        WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum' WHEN 'r' THEN 'range' END,
      pg_get_userbyid(t.typowner),
      (SELECT string_agg(a::text, ',' ORDER BY a::text COLLATE "C")
        FROM unnest(coalesce(t.typacl, acldefault('T', t.typowner))) a))
    || CASE WHEN t.typtype = 'd' THEN
      ' over ' || format_type(t.typbasetype, t.typtypmod)
      || CASE WHEN t.typcollation <> bt.typcollation THEN
        format(' collate %I.%I', cn.nspname, co.collname) ELSE '' END
      || CASE WHEN t.typnotnull THEN ' not-null' ELSE '' END
      || coalesce(' default ' || t.typdefault, '')
      ELSE '' END
    || CASE WHEN t.typtype = 'r' THEN
      ' subtype ' || format_type(rg.rngsubtype, NULL)
      || CASE WHEN rg.rngcollation <> 0 THEN
        format(' collate %I.%I', rcn.nspname, rco.collname) ELSE '' END
      || format(' opclass %I.%I', ocn.nspname, oc.opcname)
      || CASE WHEN rg.rngcanonical <> 0 THEN
        ' canonical ' || rg.rngcanonical::regprocedure::text ELSE '' END
      || CASE WHEN rg.rngsubdiff <> 0 THEN
        ' subdiff ' || rg.rngsubdiff::regprocedure::text ELSE '' END
      || ' multirange ' || format_type(rg.rngmultitypid, NULL)
      ELSE '' END
    || CASE WHEN t.typtype = 'b' THEN
      format(' input %s output %s receive %s send %s typmod-in %s typmod-out %s analyze %s length %s by-value %s align %s storage %s category %s preferred %s delimiter %s element %s',
        bt2.typinput::regprocedure, bt2.typoutput::regprocedure,
        bt2.typreceive, bt2.typsend, bt2.typmodin, bt2.typmodout,
        bt2.typanalyze, bt2.typlen, bt2.typbyval, bt2.typalign,
        bt2.typstorage, bt2.typcategory, bt2.typispreferred,
        quote_literal(bt2.typdelim::text),
        CASE WHEN bt2.typelem = 0 THEN '-' ELSE format_type(bt2.typelem, NULL) END)
      ELSE '' END
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM typ t
  JOIN pg_type bt2 ON bt2.oid = t.oid
  LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_collation co ON co.oid = t.typcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_range rg ON rg.rngtypid = t.oid
  LEFT JOIN pg_collation rco ON rco.oid = rg.rngcollation
  LEFT JOIN pg_namespace rcn ON rcn.oid = rco.collnamespace
  LEFT JOIN pg_opclass oc ON oc.oid = rg.rngsubopc
  LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
  LEFT JOIN pg_description ds ON ds.objoid = t.oid
    AND ds.classoid = 'pg_type'::regclass AND ds.objsubid = 0
  UNION ALL
  -- enum labels, in their sort order
  SELECT ARRAY[t.nspname::text, 't', t.typname::text, 'a'],
    row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder)::int,
    format('enum-label %s %s %s', t.qname,
      row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder),
      quote_literal(e.enumlabel))
  FROM typ t JOIN pg_enum e ON e.enumtypid = t.oid
  UNION ALL
  -- attributes of composite types
  SELECT ARRAY[t.nspname::text, 't', t.typname::text, 'a'],
    row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::int,
    format('attribute %s %s %I %s', t.qname,
      row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
      a.attname, format_type(a.atttypid, a.atttypmod))
    || CASE WHEN a.attcollation <> at.typcollation THEN
      format(' collate %I.%I', cn.nspname, co.collname) ELSE '' END
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM typ t
  JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0
    AND NOT a.attisdropped
  JOIN pg_type at ON at.oid = a.atttypid
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_description ds ON ds.objoid = a.attrelid
    AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
  WHERE t.typtype = 'c'
  UNION ALL
  -- domain constraints
  SELECT ARRAY[t.nspname::text, 't', t.typname::text, 'c', c.conname::text], 0,
    format('domain-constraint %s %I %s', t.qname, c.conname,
      pg_get_constraintdef(c.oid))
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM typ t JOIN pg_constraint c ON c.contypid = t.oid
  LEFT JOIN pg_description ds ON ds.objoid = c.oid
    AND ds.classoid = 'pg_constraint'::regclass AND ds.objsubid = 0
  UNION ALL
  -- collations
  SELECT ARRAY[n.nspname::text, 'l', co.collname::text], 0,
    format('collation %I.%I provider %s collate %s ctype %s locale %s deterministic %s encoding %s owner %I',
      n.nspname, co.collname, co.collprovider,
      quote_nullable(co.collcollate), quote_nullable(co.collctype),
      quote_nullable(co.colliculocale), co.collisdeterministic,
      co.collencoding, pg_get_userbyid(co.collowner))
  FROM pg_collation co JOIN ns n ON n.oid = co.collnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext e
    WHERE e.classid = 'pg_collation'::regclass AND e.objid = co.oid)
  UNION ALL
  -- functions and procedures: the full definition; aggregates by parts
  SELECT ARRAY[f.nspname::text, 'f', f.qname], 0,
    format('%s %s owner %I acl {%s}',
      CASE f.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure'
        WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window-function' END,
      f.qname, pg_get_userbyid(f.proowner),
      (SELECT string_agg(a::text, ',' ORDER BY a::text COLLATE "C")
        FROM unnest(coalesce(f.proacl, acldefault('f', f.proowner))) a))
    || coalesce(' comment ' || quote_literal(ds.description), '')
    || CASE WHEN f.prokind = 'a' THEN
      format(' kind %s sfunc %s stype %s sspace %s finalfunc %s final-extra %s final-modify %s combinefunc %s serialfunc %s deserialfunc %s initcond %s msfunc %s minvfunc %s mstype %s msspace %s mfinalfunc %s mfinal-extra %s mfinal-modify %s minitcond %s sortop %s',
        ag.aggkind, ag.aggtransfn::regprocedure,
        format_type(ag.aggtranstype, NULL), ag.aggtransspace,
        ag.aggfinalfn, ag.aggfinalextra, ag.aggfinalmodify,
        ag.aggcombinefn, ag.aggserialfn, ag.aggdeserialfn,
        quote_nullable(ag.agginitval), ag.aggmtransfn, ag.aggminvtransfn,
        coalesce(format_type(nullif(ag.aggmtranstype, 0), NULL), '-'),
        ag.aggmtransspace,
        ag.aggmfinalfn, ag.aggmfinalextra, ag.aggmfinalmodify,
        quote_nullable(ag.aggminitval), ag.aggsortop::regoperator)
      || format(' parallel %s strict %s volatility %s',
        pp.proparallel, pp.proisstrict, pp.provolatile)
    ELSE E'\n\t' || replace(rtrim(pg_get_functiondef(f.oid), E'\n'), E'\n', E'\n\t')
    END
  FROM fn f
  JOIN pg_proc pp ON pp.oid = f.oid
  LEFT JOIN pg_aggregate ag ON ag.aggfnoid = f.oid
  LEFT JOIN pg_description ds ON ds.objoid = f.oid
    AND ds.classoid = 'pg_proc'::regclass AND ds.objsubid = 0
  UNION ALL
  -- relations: tables, partitioned tables, views, materialized views,
  -- sequences and foreign tables
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text], 0,
    format('%s %s owner %I acl {%s}',
      CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned-table'
        WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized-view'
        WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign-table' END,
      r.qname, pg_get_userbyid(r.relowner),
      CASE WHEN cardinality(ra.acl) < 2 THEN array_to_string(ra.acl, ',')
        ELSE (SELECT string_agg(a::text, ',' ORDER BY a::text COLLATE "C")
          FROM unnest(ra.acl) a) END)
    || CASE r.relpersistence WHEN 'u' THEN ' unlogged' ELSE '' END
    || CASE WHEN r.relrowsecurity THEN ' row-security' ELSE '' END
    || CASE WHEN r.relforcerowsecurity THEN ' force-row-security' ELSE '' END
    || CASE WHEN r.relkind IN ('r', 'p', 'm') AND r.relreplident <> 'd' THEN
      ' replica-identity ' || r.relreplident::text ELSE '' END
    || CASE WHEN r.reloptions IS NULL THEN '' ELSE
      ' options {' || (SELECT string_agg(o, ',' ORDER BY o COLLATE "C")
        FROM unnest(r.reloptions) o) || '}' END
    || coalesce(' tablespace ' || quote_ident(sp.spcname), '')
    || CASE WHEN am.amname IS NOT NULL AND am.amname <> 'heap' THEN
      format(' access-method %I', am.amname) ELSE '' END
    || CASE WHEN r.reloftype <> 0 THEN
      ' of-type ' || format_type(r.reloftype, NULL) ELSE '' END
    || CASE WHEN r.relkind = 'p' THEN
      ' partition-key ' || pg_get_partkeydef(r.oid) ELSE '' END
    || CASE WHEN r.relispartition THEN
      ' partition-of ' || (SELECT format('%I.%I', pn.nspname, pc.relname)
        FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = pc.relnamespace
        WHERE i.inhrelid = r.oid)
      || ' ' || pg_get_expr(r.relpartbound, r.oid) ELSE '' END
    || CASE WHEN r.relkind = 'S' THEN
      format(' type %s start %s increment %s min %s max %s cache %s cycle %s',
        format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
        s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
      || coalesce((SELECT format(' %s %I.%I.%I',
          CASE d.deptype WHEN 'i' THEN 'identity-of' ELSE 'owned-by' END,
          on_.nspname, oc.relname, oa.attname)
        FROM pg_depend d
        JOIN pg_class oc ON oc.oid = d.refobjid
        JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
        JOIN pg_attribute oa ON oa.attrelid = d.refobjid
          AND oa.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
          AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i')), '')
      ELSE '' END
    || CASE WHEN r.relkind = 'f' THEN
      (SELECT format(' server %I options {%s}', fs.srvname,
        (SELECT string_agg(o, ',' ORDER BY o COLLATE "C")
          FROM unnest(ft.ftoptions) o))
      FROM pg_foreign_table ft JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
      WHERE ft.ftrelid = r.oid)
      ELSE '' END
    || coalesce(' comment ' || quote_literal(ds.description), '')
    || CASE WHEN r.relkind IN ('v', 'm') THEN
      E'\n\t' || replace(rtrim(pg_get_viewdef(r.oid), E'\n'), E'\n', E'\n\t')
      ELSE '' END
  FROM rel r
  -- a NULL ACL means the default one; most have one item, left unsorted
  CROSS JOIN LATERAL (SELECT coalesce(r.relacl, acldefault(
    CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char",
    r.relowner)) AS acl) ra
  LEFT JOIN pg_sequence s ON s.seqrelid = r.oid
  LEFT JOIN pg_tablespace sp ON sp.oid = r.reltablespace
  LEFT JOIN pg_am am ON am.oid = r.relam
  LEFT JOIN pg_description ds ON ds.objoid = r.oid
    AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
  UNION ALL
  -- inheritance (not partitions: their parent is on the relation line)
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'a'], i.inhseqno,
    format('inherits %s %I.%I %s', r.qname, pn.nspname, pc.relname, i.inhseqno)
  FROM rel r
  JOIN pg_inherits i ON i.inhrelid = r.oid
  JOIN pg_class pc ON pc.oid = i.inhparent
  JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  WHERE NOT r.relispartition
  UNION ALL
  -- columns, in order
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'b'],
    row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::int,
    format('column %s %s %I %s', r.qname,
      row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
      a.attname, format_type(a.atttypid, a.atttypmod))
    || CASE WHEN a.attcollation <> at.typcollation THEN
      format(' collate %I.%I', cn.nspname, co.collname) ELSE '' END
    || CASE WHEN a.attnotnull THEN ' not-null' ELSE '' END
    || CASE a.attidentity WHEN 'a' THEN ' identity-always'
      WHEN 'd' THEN ' identity-by-default' ELSE '' END
    || CASE WHEN ad.adbin IS NULL THEN ''
      WHEN a.attgenerated = 's' THEN ' generated-stored '
      ELSE ' default ' END
    -- a default never refers to a column, so it is deparsed without its
    -- table: with one, pg_get_expr opens the table (a relcache entry
    -- built per table, a fifth of the whole query on 1000 tables)
    || coalesce(pg_get_expr(ad.adbin,
      CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END), '')
    || CASE WHEN NOT r.relispartition AND NOT a.attislocal THEN ' inherited'
      ELSE '' END
    || CASE WHEN a.attstorage <> at.typstorage THEN
      ' storage ' || a.attstorage::text ELSE '' END
    || CASE WHEN a.attcompression <> '' THEN
      ' compression ' || a.attcompression::text ELSE '' END
    || CASE WHEN a.attstattarget >= 0 THEN
      ' statistics ' || a.attstattarget ELSE '' END
    -- (the subqueries only run for the few columns that need them)
    || CASE WHEN a.attoptions::text NOT LIKE '%n\_distinct%' THEN '' ELSE
      coalesce(' options {' || (SELECT string_agg(o, ',' ORDER BY o COLLATE "C")
        FROM unnest(a.attoptions) o
        WHERE split_part(o, '=', 1) IN ('n_distinct', 'n_distinct_inherited'))
        || '}', '') END
    || CASE WHEN a.attfdwoptions IS NULL THEN '' ELSE
      coalesce(' fdw-options {' || (SELECT string_agg(o, ',' ORDER BY o COLLATE "C")
        FROM unnest(a.attfdwoptions) o) || '}', '') END
    || CASE WHEN a.attacl IS NULL THEN '' ELSE
      coalesce(' acl {' || (SELECT string_agg(x::text, ',' ORDER BY x::text COLLATE "C")
        FROM unnest(a.attacl) x) || '}', '') END
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type at ON at.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_description ds ON ds.objoid = a.attrelid
    AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
  WHERE r.relkind <> 'S'
  UNION ALL
  -- table constraints
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'c', c.conname::text], 0,
    format('constraint %s %I %s', r.qname, c.conname, pg_get_constraintdef(c.oid))
    || CASE WHEN NOT r.relispartition AND NOT c.conislocal THEN ' inherited'
      ELSE '' END
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r JOIN pg_constraint c ON c.conrelid = r.oid
  LEFT JOIN pg_description ds ON ds.objoid = c.oid
    AND ds.classoid = 'pg_constraint'::regclass AND ds.objsubid = 0
  -- the copies of a foreign key that partitioning makes follow from it
  WHERE NOT (c.contype = 'f' AND c.conparentid <> 0)
  UNION ALL
  -- indexes, including those behind constraints
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'i', ic.relname::text], 0,
    format('index %s %I %s', r.qname, ic.relname, pg_get_indexdef(ic.oid))
    || CASE WHEN NOT x.indisvalid THEN ' invalid' ELSE '' END
    || CASE WHEN x.indisclustered THEN ' clustered' ELSE '' END
    || CASE WHEN x.indisreplident THEN ' replica-identity' ELSE '' END
    || coalesce(' tablespace ' || quote_ident(sp.spcname), '')
    || coalesce((SELECT format(' attached-to %I.%I', pn.nspname, pc.relname)
      FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
      JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE i.inhrelid = ic.oid), '')
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r
  JOIN pg_index x ON x.indrelid = r.oid
  JOIN pg_class ic ON ic.oid = x.indexrelid
  LEFT JOIN pg_tablespace sp ON sp.oid = ic.reltablespace
  LEFT JOIN pg_description ds ON ds.objoid = ic.oid
    AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
  UNION ALL
  -- triggers (not the internal ones behind foreign keys)
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 't', tg.tgname::text], 0,
    format('trigger %s %I enabled %s %s', r.qname, tg.tgname, tg.tgenabled,
      pg_get_triggerdef(tg.oid))
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r JOIN pg_trigger tg ON tg.tgrelid = r.oid AND NOT tg.tgisinternal
  LEFT JOIN pg_description ds ON ds.objoid = tg.oid
    AND ds.classoid = 'pg_trigger'::regclass AND ds.objsubid = 0
  UNION ALL
  -- row level security policies
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'p', po.polname::text], 0,
    format('policy %s %I %s for %s to {%s}', r.qname, po.polname,
      CASE WHEN po.polpermissive THEN 'permissive' ELSE 'restrictive' END,
      CASE po.polcmd WHEN '*' THEN 'all' WHEN 'r' THEN 'select'
        WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' WHEN 'd' THEN 'delete' END,
      (SELECT string_agg(CASE WHEN ro = 0 THEN 'public'
          ELSE quote_ident(pg_get_userbyid(ro)) END, ','
          ORDER BY CASE WHEN ro = 0 THEN 'public'
          ELSE quote_ident(pg_get_userbyid(ro)) END COLLATE "C")
        FROM unnest(po.polroles) ro))
    || coalesce(' using ' || pg_get_expr(po.polqual, po.polrelid), '')
    || coalesce(' with-check ' || pg_get_expr(po.polwithcheck, po.polrelid), '')
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r JOIN pg_policy po ON po.polrelid = r.oid
  LEFT JOIN pg_description ds ON ds.objoid = po.oid
    AND ds.classoid = 'pg_policy'::regclass AND ds.objsubid = 0
  UNION ALL
  -- rules other than the ones that make views
  SELECT ARRAY[r.nspname::text, 'r', r.relname::text, 'q', ru.rulename::text], 0,
    format('rule %s %I enabled %s %s', r.qname, ru.rulename, ru.ev_enabled,
      pg_get_ruledef(ru.oid))
    || coalesce(' comment ' || quote_literal(ds.description), '')
  FROM rel r JOIN pg_rewrite ru ON ru.ev_class = r.oid AND ru.rulename <> '_RETURN'
  LEFT JOIN pg_description ds ON ds.objoid = ru.oid
    AND ds.classoid = 'pg_rewrite'::regclass AND ds.objsubid = 0
  UNION ALL
  -- extended statistics objects
  SELECT ARRAY[n.nspname::text, 'x', st.stxname::text], 0,
    format('statistics %I.%I owner %I target %s %s', n.nspname, st.stxname,
      pg_get_userbyid(st.stxowner), st.stxstattarget,
      pg_get_statisticsobjdef(st.oid))
  FROM pg_statistic_ext st JOIN ns n ON n.oid = st.stxnamespace
  WHERE st.stxrelid NOT IN (SELECT oid FROM hist)
)
SELECT coalesce(string_agg(l.line, E'\n'
  ORDER BY l.k COLLATE "C", l.ord, l.line COLLATE "C") || E'\n', '')
FROM lines l
;
