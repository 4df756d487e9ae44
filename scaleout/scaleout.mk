# The Spark scale-out (scaleout/): included by the top-level Makefile (at its end, so that none of
# these targets becomes the default goal), or used alone from the repository root as
# `make -f scaleout/scaleout.mk spark-deps` (scaleout-package and test-spark need the top
# Makefile's `deps` target, so run those through the top Makefile).
#
#   make spark-deps        Java (when `java -version` fails) and the venv scaleout/.venv with pyspark
#   make scaleout-package  dist/newscluster-scaleout.tar.gz: bin/newscluster + lib/ (for spark-submit --archives)
#   make test-spark        the local-mode test: Spark runs give the one-machine run's reports
#
# Run a job:  PYSPARK_PYTHON=$(CURDIR)/scaleout/.venv/bin/python $(SPARK_SUBMIT) --master local[2] \
#                 --archives $(SCALEOUT_ARCHIVE)#newscluster scaleout/newscluster_spark.py INPUT... --out DIR -- [cluster options]
# (PYSPARK_PYTHON, or `. scaleout/.venv/bin/activate` first: pip's spark-submit looks for Spark
# with the `python3` on PATH, and the workers run it too; the system one has no pyspark.)

SWIFT ?= swift
SUDO ?= $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The Python the venv is made from (pyspark 3.5 supports Python 3.8 to 3.11; Debian 12 has 3.11).
SPARK_PYTHON ?= python3
SCALEOUT_VENV ?= scaleout/.venv
SPARK_SUBMIT = $(SCALEOUT_VENV)/bin/spark-submit
SCALEOUT_PYTHON = $(SCALEOUT_VENV)/bin/python
SCALEOUT_ARCHIVE ?= dist/newscluster-scaleout.tar.gz
SCALEOUT_BINARY ?= .build-install/release/newscluster

.PHONY: spark-deps spark-java scaleout-package test-spark

spark-deps: spark-java $(SCALEOUT_VENV)/.requirements-installed

# Spark 3.5 runs on Java 8, 11 or 17: Debian 12's openjdk-17-jre-headless when there is no java.
spark-java:
	@if ! java -version >/dev/null 2>&1; then \
		echo "installing openjdk-17-jre-headless with apt-get (Spark needs Java)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; \
	fi

# The venv is made anew (not patched) when it is missing, when requirements.txt is newer than
# its stamp, or when its python no longer runs (a venv outlives the python it was made from
# badly: a pyenv version removed, say). pip's wheel cache makes a re-make quick.
$(SCALEOUT_VENV)/.requirements-installed: scaleout/requirements.txt
	@if ! $(SPARK_PYTHON) -c 'import venv, ensurepip' 2>/dev/null; then \
		echo "installing python3-venv with apt-get ($(SPARK_PYTHON) cannot make a venv)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; \
	fi
	rm -rf $(SCALEOUT_VENV)
	$(SPARK_PYTHON) -m venv $(SCALEOUT_VENV)
	$(SCALEOUT_PYTHON) -m pip install -q -r scaleout/requirements.txt
	$(SCALEOUT_PYTHON) -c 'import pyspark; print("pyspark", pyspark.__version__, "in $(SCALEOUT_VENV)")'
	touch $@

# The binary as `make install` builds it (Swift runtime linked in), with the shared libraries it
# needs that are not glibc's, so that executors need nothing installed but glibc >= the build
# machine's. See scaleout/package.sh.
scaleout-package: deps
	$(SWIFT) build -c release --product newscluster --static-swift-stdlib --scratch-path .build-install
	bash scaleout/package.sh $(SCALEOUT_BINARY) $(SCALEOUT_ARCHIVE)

# Local-mode test (scaleout/tests/test_spark.py): one-machine run vs spark-submit --master local[2]
# with 1 and 7 partitions, on Corpora/demo plus generated shards with bad input. It ships the
# release build `make test` has just made, packed by the same package.sh (with the Swift runtime's
# libraries in lib/ instead of linked in), rather than build the binary a second time.
SCALEOUT_TEST_ARCHIVE ?= dist/newscluster-scaleout-test.tar.gz
test-spark: deps spark-deps
	$(SWIFT) build -c release --product newscluster
	$(SWIFT) build -c release --product generate-corpus
	bash scaleout/package.sh .build/release/newscluster $(SCALEOUT_TEST_ARCHIVE)
	SCALEOUT_ARCHIVE=$(CURDIR)/$(SCALEOUT_TEST_ARCHIVE) SPARK_SUBMIT=$(CURDIR)/$(SPARK_SUBMIT) \
		NEWSCLUSTER_BINARY=$(CURDIR)/.build/release/newscluster \
		GENERATE_CORPUS=$(CURDIR)/.build/release/generate-corpus PYSPARK_PYTHON=$(CURDIR)/$(SCALEOUT_PYTHON) \
		$(SCALEOUT_PYTHON) scaleout/tests/test_spark.py
