# qgate — every target installs what it needs first.
SWIFT ?= swift
BIN_DEBUG := .build/debug/qgate

.PHONY: all deps build release test demo bench fuzz format lint clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Unit, golden and end-to-end tests (the end-to-end tests run the debug binary, so build it first).
test: deps
	$(SWIFT) build --build-tests
	@SWIFT=$(SWIFT) scripts/run-tests.sh

# Builds qgate and runs it on the shipped fixtures against a temporary store.
# The compile output (hundreds of lines) is kept in .build/demo-build.log and shown only on failure.
demo: deps
	@$(SWIFT) build > .build/demo-build.log 2>&1 || { cat .build/demo-build.log; exit 1; }
	@scripts/demo.sh $(BIN_DEBUG)

# Not part of `make test`: generates large inputs and prints throughput and peak memory.
bench: deps
	@scripts/install-deps.sh --bench
	@scripts/bench.sh

# Not part of `make test`: coverage-guided fuzzing of every parser with libFuzzer, each target
# for FUZZ_SECONDS (default 60). Crashes it finds become fixtures/fuzz/ files, which `make test` reads.
fuzz: deps
	@scripts/fuzz.sh

format:
	$(SWIFT) format --in-place --recursive --configuration .swift-format Sources Tests Package.swift

# swift-format with the repository's .swift-format (warnings fail), then what each folder may
# import and call (docs/architecture.md).
lint:
	$(SWIFT) format lint --strict --recursive --configuration .swift-format Sources Tests Package.swift
	@scripts/check-architecture.sh

clean:
	rm -rf .build
