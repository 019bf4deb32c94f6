# The README's commands. Everything they need is installed by scripts/brandifiers.sh.
.PHONY: run scale test
run:
	scripts/brandifiers.sh run
scale:
	scripts/brandifiers.sh scale
test:
	scripts/brandifiers.sh test
