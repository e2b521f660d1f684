# motcua — two commands set everything up on Debian 12:
#   make run    installs what is missing, builds, starts the server on SQLite and prints the URL
#   make test   installs what is missing, builds, runs every test (unit, storage on SQLite and
#               PostgreSQL, HTTP integration, browser, and the ASan+UBSan configuration)
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
LISTEN ?= 127.0.0.1:8080
DATA ?= var
GENERATOR := -G Ninja
CMAKE_FLAGS ?=

.PHONY: run test build web bench asan format lint clean bootstrap

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)

web: bootstrap
	@cd web && npm run --silent build

run: build web
	@$(BUILD)/motcua serve --listen $(LISTEN) --data $(DATA)

test:
	@scripts/bootstrap --test
	@scripts/test

asan:
	@cmake -S . -B $(ASAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD)

bench:
	@scripts/bootstrap --test
	@scripts/bench

format:
	@clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp' 'fuzz/*.hpp')

lint:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp' 'fuzz/*.hpp')

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) web/dist
