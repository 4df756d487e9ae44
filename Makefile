# newscluster — the two commands a new machine needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
DEMO_OUT ?= Reports/demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test eval build deps clean

# Installs the system packages the build needs when they are missing (Debian/Ubuntu).
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists openblas; then \
		echo "installing libopenblas-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config; \
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

# Clusters every labelled corpus of ../shared/corpora with the default options; one table.
eval: build
	python3 Benchmarks/eval.py

clean:
	rm -rf .build $(DEMO_OUT)
