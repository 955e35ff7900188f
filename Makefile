# The two commands of the README: `make memos` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: memos test fuzz lint shots clean

memos: $(STAMP)
	$(BIN)/briefgen build --all briefs

# The suite, then the tests that run the command line again with every speed mechanism
# off (BRIEFGEN_PLAIN=1, see briefgen/speed/__init__.py): both paths must pass and write the same bytes.
PLAIN_TESTS = tests/test_example.py tests/check/test_errors.py tests/serve/test_browser.py
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest
	BRIEFGEN_PLAIN=1 $(BIN)/pytest -q -p no:cacheprovider $(PLAIN_TESTS)

# The long run of the whole-pipeline content property (tests/test_content.py): thousands of
# generated workspaces, each checked and built in every format, drawn by FUZZ_SHARDS
# processes with seeds 1, 2, ... side by side (one each core); each prints its cases,
# builds and every failure class found. Set BRIEFGEN_CONTENT_EXAMPLES to change the total.
BRIEFGEN_CONTENT_EXAMPLES ?= 2000
FUZZ_SHARDS ?= 2
fuzz: $(STAMP)
	rm -f .fuzz-*.status
	for shard in $$(seq $(FUZZ_SHARDS)); do \
	  (BRIEFGEN_CONTENT_EXAMPLES=$$(( $(BRIEFGEN_CONTENT_EXAMPLES) / $(FUZZ_SHARDS) )) \
	   $(BIN)/pytest -s -q -p no:cacheprovider --hypothesis-seed=$$shard tests/test_content.py \
	     -k test_every_text_a_user_writes_is_shown_or_refused; echo $$? > .fuzz-$$shard.status) \
	  2>&1 | sed -u "s/^/[shard $$shard] /" & \
	done; wait; cat .fuzz-*.status | grep -qvx 0 && exit 1; rm -f .fuzz-*.status

shots: $(STAMP)
	$(BIN)/python scripts/shots.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

clean:
	rm -rf $(VENV) briefs/out
