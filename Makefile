.PHONY: run test
run:  ## set up and serve the demo on http://127.0.0.1:8000
	bash scripts/run.sh
test:  ## install what the tests need and run the whole suite (SQLite, PostgreSQL, browser)
	bash scripts/test.sh
