# The two commands a newcomer needs: `make demo` and `make test` (both do the set-up).
.PHONY: setup demo test bench

setup:
	@scripts/setup.sh

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh
