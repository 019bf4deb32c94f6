# The two commands of the README. Everything they need is installed by scripts/brandifiers.sh.
.PHONY: run test
run:
	scripts/brandifiers.sh run
test:
	scripts/brandifiers.sh test
