# The two commands a newcomer needs: `make demo` and `make test` (both do the set-up).
.PHONY: setup demo test bench i18n pictures

setup:
	@scripts/setup.sh

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

i18n:
	@scripts/i18n.sh

pictures:
	@scripts/pictures.sh
