#!/bin/sh
# gen-500.sh: writes SQL for the timing database of docs/fingerprint.md:
# N tables (default 500), each with a primary key, two more indexes, a
# check constraint and a view over it.
n=${1:-500}
i=1
while [ "$i" -le "$n" ]; do
	cat <<SQL
CREATE TABLE public.t$i (
	id bigint PRIMARY KEY,
	name text NOT NULL,
	score integer DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT t${i}_score_check CHECK (score >= 0)
);
CREATE INDEX t${i}_name_idx ON public.t$i (name);
CREATE INDEX t${i}_created_idx ON public.t$i (created_at DESC, score);
CREATE VIEW public.v$i AS SELECT id, name, score FROM public.t$i WHERE score > 0;
SQL
	i=$((i + 1))
done
