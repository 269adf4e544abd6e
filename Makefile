# owatch — `make demo` and `make test` are the two set-up commands (see README).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
PREFIX ?= /usr/local
# Linked by lld (issue 30, item 8): relative relocations packed (DT_RELR: 1 MB of .rela.dyn becomes 10 KB the
# loader reads), no symbol exported (the toolchain's static-stdlib flags export every one of owatch's), and the
# functions start-up runs laid out first, side by side (Sources/owatch/startup.order, written by .ci/startup-order;
# each function in its own section so the linker can place it). The code is the same; only the layout changes.
# `make bench` builds its probe with LINK_FLAGS too. After a change of code-generation flags, delete
# .build/release/*.build/*.o once: the compiler keeps an object whose LLVM IR did not change.
LINK_FLAGS := -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
	-Xswiftc -Xfrontend -Xswiftc -function-sections
RELEASE_FLAGS := -c release --static-swift-stdlib $(LINK_FLAGS) \
	-Xlinker --symbol-ordering-file=$(CURDIR)/Sources/owatch/startup.order -Xlinker --no-warn-symbol-ordering
BIN_DEBUG := .build/debug/owatch
BIN_RELEASE := .build/release/owatch

.PHONY: deps build release test unit e2e fuzz lint demo docs install bench bench-writers clean

deps:
	@bash .ci/deps

build: deps
	swift build

# The release binary carries no ICU (issue 30): .ci/no-icu fails when it does.
# The product only: owatch-fuzz imports OWKit @testable, which a release build of every target refuses.
release: deps
	swift build $(RELEASE_FLAGS) --product owatch
	bash .ci/no-icu $(BIN_RELEASE)

# Unit tests (XCTest), end-to-end tests (pytest) against the built binary, then every fuzz
# target for FUZZ_TEST_SECONDS each (libFuzzer, Tests/Fuzz; a debug build apart in .build-fuzz).
FUZZ_TEST_SECONDS ?= 8
FUZZ_SECONDS ?= 300
# The end-to-end tests run E2E_JOBS at a time (pytest-xdist), with SQLite ledgers, and the
# backend-dependent ones again on a throw-away PostgreSQL cluster (.ci/e2e-postgres; issue 35). xdist hands
# out one test at a time (--maxschedchunk 1), the slowest first (conftest's SLOW_FIRST): its default chunks
# (a quarter of the run each) would give every one of those to the first worker.
E2E_JOBS ?= $(shell nproc)
# pytest keeps each test file's assertion-rewritten bytecode in Tests/e2e/__pycache__ unless told not to:
# with PYTHONDONTWRITEBYTECODE set (as on some runners), every worker of both passes rewrote all 60
# files again (~6 s of CPU each).
unexport PYTHONDONTWRITEBYTECODE
# The fuzz binary (a second full compile, ~70 s of two cores) builds in the background at a low priority
# (its own process group) from the start: the unit tests run on one core and leave the other idle, and it
# takes a share of the e2e passes' time (nice 10, not 19: with both passes busy, 19 starved it until they
# ended and its serial link steps then ran alone); if anything fails first it is stopped. Its log: .build-fuzz/build.log.
# The two e2e passes run at once (the PostgreSQL one in its own process group, its output in
# .build/e2e-postgres.log, printed after): the SQLite pass alone used ~480 s of CPU in its ~307 s on two
# cores (tests waiting on processes, locks, servers and the last slow tests); the other pass takes that idle time.
test: build
	@bash .ci/deps --test
	@bash .ci/clear-of-midnight
	bash .ci/no-icu $(BIN_DEBUG)
	@mkdir -p .build-fuzz
	set -e; pg_pass=; \
	FUZZ_CONFIG=debug setsid -w nice -n 10 bash .ci/fuzz --build-only >.build-fuzz/build.log 2>&1 & fuzz_build=$$!; \
	trap 'kill -- -$$fuzz_build 2>/dev/null || true; [ -z "$$pg_pass" ] || kill -- -$$pg_pass 2>/dev/null || true' EXIT; \
	swift test; \
	OWATCH_MIDNIGHT_WAIT=0 OWATCH_BIN=$(CURDIR)/$(BIN_DEBUG) E2E_JOBS=$(E2E_JOBS) setsid -w bash .ci/e2e-postgres >.build/e2e-postgres.log 2>&1 & pg_pass=$$!; \
	OWATCH_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q -n $(E2E_JOBS) --maxschedchunk 1 Tests/e2e; \
	wait $$pg_pass || { cat .build/e2e-postgres.log; echo "make test: the PostgreSQL e2e pass failed" >&2; exit 1; }; \
	pg_pass=; cat .build/e2e-postgres.log; \
	wait $$fuzz_build || { cat .build-fuzz/build.log; echo "make test: the fuzz build failed" >&2; exit 1; }; \
	tail -1 .build-fuzz/build.log; \
	FUZZ_CONFIG=debug bash .ci/fuzz $(FUZZ_TEST_SECONDS)

# Longer fuzzing: FUZZ_SECONDS per target (`make fuzz FUZZ_SECONDS=3600 FUZZ_TARGETS=pdf`).
fuzz: deps
	bash .ci/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

unit: build
	swift test

# The code's one idiom (.swift-format: 4 spaces, 140 columns, no semicolon chains); CI fails on any finding.
# `swift format format -i -r Sources Tests/OWKitTests Tests/OWCLITests Tests/OWCommandsTests Tests/Fuzz Package.swift` applies it.
# .ci/sizes: no function over 80 lines, no type over 400 (issue 30); .ci/sizes-allow lists what is still over.
lint:
	swift format lint --strict -r --parallel Sources Tests/OWKitTests Tests/OWCLITests Tests/OWCommandsTests Tests/Fuzz Package.swift
	bash .ci/no-icu --sources
	python3 .ci/sizes

e2e: build
	@bash .ci/clear-of-midnight
	OWATCH_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q -n $(E2E_JOBS) --maxschedchunk 1 Tests/e2e

demo: release
	OWATCH_BIN=$(CURDIR)/$(BIN_RELEASE) bash examples/demo.sh

# Regenerates man/ and completions/ from the command table (the tests check they match).
docs: build
	$(BIN_DEBUG) gen-docs .

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -s -m 0755 $(BIN_RELEASE) $(DESTDIR)$(PREFIX)/bin/owatch
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 completions/owatch.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/owatch
	install -m 0644 completions/_owatch $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_owatch
	install -m 0644 completions/owatch.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/owatch.fish

bench: release
	@bash .ci/deps --bench
	OWATCH_BIN=$(CURDIR)/$(BIN_RELEASE) OWATCH_PROBE_FLAGS="-c release --static-swift-stdlib $(LINK_FLAGS)" bash bench/run.sh

# Issue 35's full size: 16 writer processes x 250 writes on one PostgreSQL ledger, then writers
# killed (SIGKILL) mid-transaction; CI runs the same test at 16 x 8.
bench-writers: build
	OWATCH_BIN=$(CURDIR)/$(BIN_DEBUG) OWATCH_PG_WRITES=250 python3 -m pytest -q -s -p no:xdist Tests/e2e/test_postgres_concurrency.py

clean:
	rm -rf .build .build-fuzz
