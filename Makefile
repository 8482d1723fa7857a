# mod_newsevent: `make` builds the module and the tool into build/;
# `make run` serves the fixtures on 127.0.0.1:8080; `make test` runs every test.

APXS      ?= apxs
PYTHON    ?= /usr/bin/python3
PORT      ?= 8080
SRC       := mod_newsevent
WERROR    ?= -Werror

# SANITIZE=1: everything built with AddressSanitizer and UndefinedBehavior-
# Sanitizer into build/asan; the HTTP tests then run Apache with the ASan
# runtime preloaded, and any report fails them.
ifeq ($(SANITIZE),1)
BUILD     := build/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD     := build
SAN_FLAGS :=
endif

APR_CFLAGS := $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null) \
              $(shell apu-1-config --includes 2>/dev/null)
APR_LIBS   := $(shell apu-1-config --link-ld --libs 2>/dev/null) \
              $(shell apr-1-config --link-ld --libs 2>/dev/null)
# SQLite itself too: search's rank is an FTS5 function of ours
# (ne_search_rank.c), registered on the DBD driver's own connection.
LIB_CFLAGS := $(shell pkg-config --cflags jansson libxml-2.0 sqlite3 2>/dev/null)
LIB_LIBS   := $(shell pkg-config --libs jansson libxml-2.0 sqlite3 2>/dev/null) -lm

# CFLAGS, CPPFLAGS and LDFLAGS reach the compiler, apxs and the linker alike
# (the Debian package builds with dpkg-buildflags' hardened ones).
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra $(WERROR)
CC_ALL    = $(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(WARN) $(APR_CFLAGS) $(LIB_CFLAGS) -I$(SRC) -I$(BUILD)

# The plain-C core: no httpd header in it.
CORE      := ne_log ne_cond ne_sha256 ne_search ne_search_rank ne_buf ne_i64map ne_text ne_slug ne_date ne_format ne_route ne_accept \
             ne_cache ne_record ne_store_stmts ne_store_db ne_store ne_store_related \
             ne_derive ne_store_derive ne_store_upkeep ne_store_list ne_store_search ne_store_write ne_store_bulk ne_store_bulk_index ne_store_edit ne_url ne_render ne_render_html ne_render_html_list \
             ne_json_text ne_render_json ne_render_xml ne_render_md ne_render_atom \
             ne_render_discovery
# The tool's own parts.
TOOL      := newsevent newsevent_tool newsevent_schema newsevent_edit newsevent_reader \
             newsevent_import newsevent_verify
# The Apache glue.
GLUE      := mod_newsevent mod_newsevent_config mod_newsevent_directives mod_newsevent_headers \
             mod_newsevent_store mod_newsevent_query mod_newsevent_answer mod_newsevent_write \
             mod_newsevent_handler

CORE_OBJ  := $(CORE:%=$(BUILD)/obj/%.o)
TOOL_OBJ  := $(TOOL:%=$(BUILD)/obj/%.o) $(BUILD)/obj/ne_schema.o
HEADERS   := $(wildcard $(SRC)/*.h)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_HDR  := $(wildcard tests/unit/*.h)

.PHONY: all deps test shape unit http run clean install uninstall fuzz fuzz-build valgrind bench deb

all: $(BUILD)/mod_newsevent.so $(BUILD)/newsevent

deps:
	@scripts/deps.sh

$(BUILD)/obj/%.o: $(SRC)/%.c $(HEADERS)
	@mkdir -p $(BUILD)/obj
	@echo "  CC      $<"
	@$(CC_ALL) -fPIC -c $< -o $@

# The glue's objects, for make shape only (apxs builds the module itself).
HTTPD_INC := $(shell $(APXS) -q INCLUDEDIR 2>/dev/null)
$(BUILD)/obj/mod_%.o: $(SRC)/mod_%.c $(HEADERS)
	@mkdir -p $(BUILD)/obj
	@echo "  CC      $<"
	@$(CC_ALL) -I$(HTTPD_INC) -fPIC -c $< -o $@

# The code's shape (scripts/check-shape.py): no two files calling each other
# in a circle, no httpd header in the core, no file over 600 lines, an SPDX
# line in every source file.
shape: $(CORE_OBJ) $(TOOL_OBJ) $(GLUE:%=$(BUILD)/obj/%.o)
	$(PYTHON) scripts/check-shape.py $(BUILD)/obj

# The schemas ship under conf/ and are built into the tool as C strings.
# Each store's base schema (version 1), then one file a version after it.
SCHEMAS := conf/schema-sqlite.sql conf/schema-pgsql.sql conf/schema-sqlite-2.sql \
           conf/schema-pgsql-2.sql conf/schema-sqlite-3.sql conf/schema-pgsql-3.sql \
           conf/schema-sqlite-4.sql conf/schema-pgsql-4.sql
$(BUILD)/ne_schema.c: $(SCHEMAS) scripts/embed-sql.sh
	@mkdir -p $(BUILD)
	scripts/embed-sql.sh ne_schema_sqlite3 conf/schema-sqlite.sql >  $@.tmp
	scripts/embed-sql.sh ne_schema_pgsql conf/schema-pgsql.sql   >> $@.tmp
	scripts/embed-sql.sh ne_schema_sqlite3_2 conf/schema-sqlite-2.sql >> $@.tmp
	scripts/embed-sql.sh ne_schema_pgsql_2 conf/schema-pgsql-2.sql   >> $@.tmp
	scripts/embed-sql.sh ne_schema_sqlite3_3 conf/schema-sqlite-3.sql >> $@.tmp
	scripts/embed-sql.sh ne_schema_pgsql_3 conf/schema-pgsql-3.sql   >> $@.tmp
	scripts/embed-sql.sh ne_schema_sqlite3_4 conf/schema-sqlite-4.sql >> $@.tmp
	scripts/embed-sql.sh ne_schema_pgsql_4 conf/schema-pgsql-4.sql   >> $@.tmp
	mv $@.tmp $@

$(BUILD)/obj/ne_schema.o: $(BUILD)/ne_schema.c
	@mkdir -p $(BUILD)/obj
	$(CC_ALL) -c $< -o $@

$(BUILD)/newsevent: $(CORE_OBJ) $(TOOL_OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(APR_LIBS) $(LIB_LIBS)

# The OpenAPI description (scripts/make-openapi.py writes conf/openapi.json),
# built into the module, which serves it at BASE/openapi.json.
$(BUILD)/ne_openapi.c: conf/openapi.json scripts/embed-sql.sh
	@mkdir -p $(BUILD)
	@scripts/embed-sql.sh ne_openapi_json conf/openapi.json > $@.tmp && mv $@.tmp $@

# apxs (libtool) writes its objects beside the sources: build from a copy.
$(BUILD)/mod_newsevent.so: $(GLUE:%=$(SRC)/%.c) $(CORE:%=$(SRC)/%.c) $(HEADERS) \
                           $(BUILD)/ne_openapi.c
	@rm -rf $(BUILD)/mod && mkdir -p $(BUILD)/mod
	@cp $^ $(BUILD)/mod/
	@echo "  APXS    $@"
	@cd $(BUILD)/mod && $(APXS) -c -o mod_newsevent.la \
	    $(CPPFLAGS:%=-Wc,%) $(CFLAGS:%=-Wc,%) $(LDFLAGS:%=-Wl,%) \
	    -Wc,-Wall -Wc,-Wextra $(WERROR:%=-Wc,%) $(SAN_FLAGS:%=-Wc,%) $(SAN_FLAGS:%=-Wl,%) \
	    $(LIB_CFLAGS) \
	    $(GLUE:%=%.c) $(CORE:%=%.c) ne_openapi.c $(LIB_LIBS) >build.log 2>&1 \
	    || { cat build.log; exit 1; }
	@! grep -i 'warning:' $(BUILD)/mod/build.log
	@# A new file renamed over the old one: an Apache running the old module
	@# (make run, a test, a benchmark) keeps its mapping rather than crashing.
	@cp $(BUILD)/mod/.libs/mod_newsevent.so $@.new && mv -f $@.new $@

$(BUILD)/unit_tests: $(UNIT_SRC) $(UNIT_HDR) $(CORE_OBJ)
	@echo "  CC      $@"
	@$(CC_ALL) -Itests/unit -o $@ $(UNIT_SRC) $(CORE_OBJ) \
	    $(APR_LIBS) $(LIB_LIBS) -lcmocka

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

http: all
	NEWSEVENT_BUILD=$(BUILD) NEWSEVENT_SANITIZE=$(SANITIZE) $(PYTHON) -m pytest -q tests/http

test: deps
	$(MAKE) shape
	$(MAKE) unit
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)
	$(MAKE) http

# libFuzzer targets (clang), with ASan and UBSan, over the plain-C core.
FUZZERS      := route accept slug record render search
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 5
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                $(APR_CFLAGS) $(LIB_CFLAGS) -I$(SRC) -Itests/fuzz
FUZZ_CORE    := $(CORE:%=$(SRC)/%.c)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_CORE) $(HEADERS)
	@mkdir -p $(BUILD)/fuzz
	@echo "  FUZZ    $@"
	@clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CORE) $(APR_LIBS) $(LIB_LIBS)

fuzz-build: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)

# Each target replays its seed corpus, then runs FUZZ_SECONDS on a copy of
# it; a crash stops with its input in build/fuzz/crashes/.
fuzz: fuzz-build
	@mkdir -p $(BUILD)/fuzz/crashes
	@for f in $(FUZZERS); do \
	    mkdir -p $(BUILD)/fuzz/corpus/$$f; \
	    echo "  fuzz_$$f: $(FUZZ_SECONDS) s"; \
	    $(BUILD)/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=0 \
	        -artifact_prefix=$(BUILD)/fuzz/crashes/$$f- \
	        $(BUILD)/fuzz/corpus/$$f tests/fuzz/corpus/$$f > $(BUILD)/fuzz/$$f.log 2>&1 \
	    || { tail -40 $(BUILD)/fuzz/$$f.log; exit 1; }; \
	    grep -E "^(#[0-9]+ +DONE|Done)" $(BUILD)/fuzz/$$f.log | tail -1; \
	done

# The HTTP suite's main files against Apache -X under valgrind's memcheck:
# any invalid access, or a leak with the module's code in its stack, fails.
VALGRIND_TESTS ?= tests/http/test_event.py tests/http/test_day.py tests/http/test_archive.py \
                  tests/http/test_negotiation.py tests/http/test_hostile.py
valgrind: all
	NEWSEVENT_VALGRIND=1 NEWSEVENT_STORES=$${NEWSEVENT_STORES:-sqlite3} \
	    $(PYTHON) -m pytest -q -p no:randomly $(VALGRIND_TESTS)

# Benchmarks (wrk, mod_lua): tests/bench/README.md and RESULTS.md.
BENCH_ARGS ?=
bench: deps
	@command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
	$(MAKE) all
	$(PYTHON) tests/bench/bench.py $(BENCH_ARGS)

run: deps
	$(MAKE) all
	PORT=$(PORT) DB=$(DB) STORE=$(STORE) scripts/run.sh

# Debian's layout; DESTDIR for a scratch root. The store's folder belongs to
# Apache's user (WAL mode); an empty store is made there unless one exists.
LIBEXECDIR ?= $(shell $(APXS) -q LIBEXECDIR 2>/dev/null)
APACHEDIR  ?= /etc/apache2
PREFIX     ?= /usr/local
STATEDIR   ?= /var/lib/newsevent
HTTPD_USER ?= www-data
INSTALLED  := $(LIBEXECDIR)/mod_newsevent.so $(PREFIX)/bin/newsevent \
              $(PREFIX)/share/man/man1/newsevent.1 \
              $(APACHEDIR)/mods-available/newsevent.load \
              $(APACHEDIR)/mods-available/newsevent.conf \
              $(PREFIX)/share/newsevent/schema-sqlite.sql \
              $(PREFIX)/share/newsevent/schema-pgsql.sql \
              $(PREFIX)/share/newsevent/newsevent.xsd \
              $(PREFIX)/share/newsevent/newsevent-problem.xsd \
              $(PREFIX)/share/newsevent/newsevent-sitemap.xsd \
              $(PREFIX)/share/newsevent/schema-sqlite-2.sql \
              $(PREFIX)/share/newsevent/schema-pgsql-2.sql \
              $(PREFIX)/share/newsevent/schema-sqlite-3.sql \
              $(PREFIX)/share/newsevent/schema-pgsql-3.sql \
              $(PREFIX)/share/newsevent/schema-sqlite-4.sql \
              $(PREFIX)/share/newsevent/schema-pgsql-4.sql \
              $(PREFIX)/share/newsevent/newsevent.schema.json

install: all
	install -d $(DESTDIR)$(LIBEXECDIR)
	$(APXS) -i -S LIBEXECDIR=$(DESTDIR)$(LIBEXECDIR) -n newsevent $(BUILD)/mod_newsevent.so
	install -D -m 755 $(BUILD)/newsevent $(DESTDIR)$(PREFIX)/bin/newsevent
	install -D -m 644 man/newsevent.1 $(DESTDIR)$(PREFIX)/share/man/man1/newsevent.1
	install -D -m 644 conf/newsevent.load $(DESTDIR)$(APACHEDIR)/mods-available/newsevent.load
	install -D -m 644 conf/newsevent.conf $(DESTDIR)$(APACHEDIR)/mods-available/newsevent.conf
	install -d $(DESTDIR)$(PREFIX)/share/newsevent
	install -m 644 conf/schema-sqlite.sql conf/schema-pgsql.sql conf/newsevent.xsd \
	    conf/newsevent-problem.xsd conf/newsevent.schema.json conf/newsevent-sitemap.xsd \
	    conf/schema-sqlite-2.sql conf/schema-pgsql-2.sql conf/schema-sqlite-3.sql \
	    conf/schema-pgsql-3.sql conf/schema-sqlite-4.sql conf/schema-pgsql-4.sql \
	    $(DESTDIR)$(PREFIX)/share/newsevent/
	install -d -o $(HTTPD_USER) -g $(HTTPD_USER) $(DESTDIR)$(STATEDIR)
	test -e $(DESTDIR)$(STATEDIR)/news.db || { \
	    $(BUILD)/newsevent --params $(DESTDIR)$(STATEDIR)/news.db init && \
	    chown $(HTTPD_USER):$(HTTPD_USER) $(DESTDIR)$(STATEDIR)/news.db*; }
	@echo "Installed. Enable with: a2enmod newsevent && apache2ctl graceful"
	@echo "Fill the store with: newsevent --params $(STATEDIR)/news.db import FILE..."

# The store and its folder stay: they are data.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(PREFIX)/share/newsevent

clean:
	rm -rf $(BUILD)

# The Debian package (debian/): build/libapache2-mod-newsevent_VERSION_ARCH.deb.
# The version's one place is debian/changelog's first line (`dch -v`).
VERSION  := $(shell sed -n '1s/^[^ ]* [(]\([^ ]*\)[)] .*/\1/p' debian/changelog)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB      := build/libapache2-mod-newsevent_$(VERSION)_$(DEB_ARCH).deb
DEB_TREE := Makefile LICENSE README.md debian $(SRC) conf man scripts tests/unit
DEB_DIR  := build/deb/mod-newsevent-$(VERSION)

deb: $(DEB)

# dpkg-buildpackage works on a copy of the tree in build/deb, so that its
# clean step (make clean) leaves build/ alone; without MAKEFLAGS, so that a
# calling make's variables (SANITIZE=1) do not reach the package's build.
$(DEB): $(filter-out %~,$(wildcard Makefile LICENSE README.md debian/* debian/*/* $(SRC)/* conf/* man/* scripts/* tests/unit/*))
	@command -v dpkg-buildpackage >/dev/null || { echo "make deb: needs dpkg-dev, debhelper (make deps)" >&2; exit 1; }
	@rm -rf build/deb && mkdir -p $(DEB_DIR)
	@cp -a --parents $(DEB_TREE) $(DEB_DIR)/
	@echo "  DEB     $@ (log: build/deb/build.log)"
	@cd $(DEB_DIR) && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
	    dpkg-buildpackage -us -uc -b -jauto >../build.log 2>&1 \
	    || { tail -60 ../build.log; exit 1; }
	@cp build/deb/$(notdir $@) $@
