# The two commands a newcomer needs: `make demo` and `make test` (both do the set-up).
.PHONY: setup demo test lint bench

setup:
	@scripts/setup.sh

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

lint:
	@CREDIT_SKIP_E2E=1 CREDIT_ADDONS=none scripts/lint.sh

bench:
	@scripts/bench.sh
