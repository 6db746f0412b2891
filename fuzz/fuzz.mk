# fuzz/fuzz.mk: libFuzzer harnesses for the configuration code and the SQL
# statement splitter, included by the GNUmakefile.
#
#   make fuzz           every harness for FUZZ_SECONDS (600) each; with
#                       -jN several run side by side
#   make fuzz-smoke     every harness for 30 s each (CI)
#   make fuzz-cfg       one harness (also fuzz-expand, fuzz-dotenv,
#                       fuzz-sqlsplit)
#
# The harnesses read the committed seeds in fuzz/corpus/NAME and write
# what they find to build-fuzz/corpus/NAME, so a run never changes the
# tree; a crash, leak or timeout leaves its input in build-fuzz/artifacts
# and fails the target.  Replay one with: build-fuzz/fuzz_NAME FILE

FUZZ_CC         ?= clang
FUZZ_SECONDS    ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_BUILD      ?= build-fuzz
FUZZ_FLAGS      := -g -O1 -fno-omit-frame-pointer \
                   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Only what configuration loading needs: no ECPG, no libpq.
FUZZ_SRCS       := src/cfg.c src/cfg_yaml.c src/dotenv.c src/expand.c \
                   src/duration.c src/buf.c src/log.c
FUZZ_NAMES      := cfg expand dotenv sqlsplit
FUZZ_BINS       := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))
# -close_fd_mask=2 silences the errors the inputs provoke; libFuzzer and
# the sanitizers still report on a stderr of their own.
FUZZ_RUN_FLAGS  := -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
                   -close_fd_mask=2 -print_final_stats=1

.PHONY: fuzz fuzz-smoke fuzz-build $(patsubst %,fuzz-%,$(FUZZ_NAMES))

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_SRCS) $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARNFLAGS) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRCS) -lyaml

# fuzz_sqlsplit checks src/sqlsplit.c against psql's own lexer, linked
# from PostgreSQL's libpgfeutils (Debian: postgresql-server-dev-NN and
# libpq-dev, which tools/install-deps installs).
PG_PKGLIBDIR    := $(shell pg_config --pkglibdir 2>/dev/null)
PG_SERVER_INCLUDE := $(shell pg_config --includedir-server 2>/dev/null)

$(FUZZ_BUILD)/fuzz_sqlsplit: fuzz/fuzz_sqlsplit.c src/sqlsplit.c src/sqlsplit.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -I $(PG_INCLUDE)/internal -I $(PG_SERVER_INCLUDE) -std=c11 \
	  $(WARNFLAGS) $(FUZZ_FLAGS) -o $@ fuzz/fuzz_sqlsplit.c src/sqlsplit.c \
	  $(PG_PKGLIBDIR)/libpgfeutils.a $(PG_PKGLIBDIR)/libpgcommon.a $(PG_PKGLIBDIR)/libpgport.a -lpq

# fuzz-NAME runs one harness for FUZZ_SECONDS.
$(patsubst %,fuzz-%,$(FUZZ_NAMES)): fuzz-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/artifacts
	$(FUZZ_BUILD)/fuzz_$* $(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	  -dict=fuzz/$*.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts/$*- \
	  $(FUZZ_BUILD)/corpus/$* fuzz/corpus/$*

fuzz: $(patsubst %,fuzz-%,$(FUZZ_NAMES))

fuzz-smoke:
	@for name in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) fuzz-$$name || exit 1; \
	done
