# make test   install what is missing (bindep.txt via apt-get, .venv/ via pip), run every test stage
#             in a copy of the collection; last line: `summary: N passed, N failed` (scripts/README.md)
# make venv   only the Python venv .venv/ (pinned: requirements.txt, requirements-test.txt)
# make demo   the simulated-fleet demo (scripts/demo.sh)
# make bench  the benchmarks (scripts/bench.sh)
# make build  the collection tarball into build/
# make clean  remove build output and test caches; make distclean also removes .venv/
SHELL := /bin/bash
.DEFAULT_GOAL := test
VENV ?= $(CURDIR)/.venv
export VENV

.PHONY: test venv system demo bench build clean distclean

venv:
	@bash scripts/venv.sh python

system:
	@bash scripts/venv.sh system test

test: system venv
	@bash scripts/test.sh

demo: venv
	@bash scripts/venv.sh system demo
	bash scripts/demo.sh

bench: venv
	@bash scripts/venv.sh system bench
	bash scripts/bench.sh

build: venv
	@mkdir -p build
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build .

clean:
	rm -rf build tests/output collections .ansible .pytest_cache

distclean: clean
	rm -rf $(VENV)
