# newscluster — the two commands a new machine needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
DEMO_OUT ?= Reports/demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-browser eval build deps clean bench bench-large

# Installs the system packages the build needs when they are missing (Debian/Ubuntu).
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists openblas sqlite3; then \
		echo "installing libopenblas-dev, libsqlite3-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev libsqlite3-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release

# Clusters the shipped demo corpus and prints a summary.
run: build
	.build/release/newscluster cluster Corpora/demo --out $(DEMO_OUT)

# Builds and runs every test (unit and end-to-end).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The review page in a real browser: installs Chromium with apt-get when it is missing, renders
# the demo's report.html headless, checks the DOM and the filter, and refreshes the README's
# screenshot (Reports/review-page.png).
test-browser: deps
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then \
		echo "installing chromium with apt-get"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi
	$(SWIFT) build --build-tests
	NEWSCLUSTER_SCREENSHOT=$(CURDIR)/Reports/review-page.png $(SWIFT) test --skip-build --filter ReviewPageEndToEndTests

# Clusters every labelled corpus of ../shared/corpora with the default options; one table.
eval: build
	python3 Benchmarks/eval.py

# Speed and accuracy at 20,000 and 100,000 generated articles, next to the scikit-learn and
# datasketch recipes (Benchmarks/README.md). The peers go into Benchmarks/.venv, made on first use.
# Extra options: make bench BENCH_ARGS="--sizes 2000 --skip-peers"
bench: deps
	$(SWIFT) build -c release --product newscluster
	$(SWIFT) build -c release --product generate-corpus
	$(SWIFT) build -c release --product tokenizer-bench
	python3 Benchmarks/bench.py $(BENCH_ARGS)

# 1,000,000 generated articles with --window-days 3, newscluster only.
bench-large: deps
	$(SWIFT) build -c release --product newscluster
	$(SWIFT) build -c release --product generate-corpus
	python3 Benchmarks/bench.py --large $(BENCH_ARGS)

clean:
	rm -rf .build $(DEMO_OUT)
