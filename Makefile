# Two entry points, both from a fresh clone:
#   make demo   set up, then run the instructor's end-to-end demo
#   make test   set up, then run the whole test suite
VENV ?= .venv
PYTHON = $(VENV)/bin/python

.PHONY: demo test lint fmt setup release bundle measure chromium postgresql bubblewrap cgroup-v2-vm

setup: $(VENV)/.installed

# Rebuilt whenever pyproject.toml changes. torch is pinned there to the local CPU build.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test]' > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@# jsonschema imports rfc3987-syntax where it is installed (an extra jupyter-events asks for), and
	@# that builds a grammar at import: 2.5 s of CPU in every nbgrader and autograder process. Nothing
	@# here checks the format of an IRI; without it jsonschema leaves that one format unchecked.
	$(VENV)/bin/pip uninstall -q -y rfc3987-syntax >> $(VENV)/pip.log 2>&1
	touch $@

demo: setup bubblewrap
	$(PYTHON) -m autograder demo

# What students get is built, never committed: notebooks/<assignment>/, and the course's pages
# course/errata.md and course/syllabus.md. `python -m autograder show ASSIGNMENT` prints one
# student notebook as text.
release: setup
	$(PYTHON) -m autograder release
	$(PYTHON) -m autograder docs

bundle: release
	$(PYTHON) -m autograder bundle

# PyTorch's measurements the notebooks quote, taken again into assignments/<a>/measured.json
# (about a minute); commit the result. Release only reads them.
measure: setup
	$(PYTHON) -m autograder measure

# Lint and format (configured in pyproject.toml); `make fmt` fixes what it can.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One pytest process per core; a test file stays in one process (its module fixtures grade once),
# the longest files first (tests/conftest.py's LONGEST_FIRST).
# The tests build the releases they need (tests/conftest.py's released_course).
test: setup lint chromium postgresql bubblewrap cgroup-v2-vm
	$(PYTHON) -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=30

# The browser test drives Debian's chromium (never `playwright install`). Installed here when
# missing and we are root; otherwise the test skips locally and fails in CI (CI=true).
chromium:
	@if ! command -v chromium >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium (apt-get, about a minute)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The PostgreSQL gradebook test starts Debian's server (initdb, pg_ctl) in a temporary folder.
# Installed here when missing and we are root; otherwise the test skips locally and fails in CI.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing postgresql (apt-get, about a minute)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

# The grader confines students' code with Debian's bubblewrap, and filters their system calls
# with libseccomp (libseccomp2); without them autograde refuses to run their code (and the sandbox
# tests fail in CI). Installed here when missing and we are root.
bubblewrap:
	@if { ! command -v bwrap >/dev/null || ! ldconfig -p | grep -q 'libseccomp\.so\.2'; } \
			&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing bubblewrap and libseccomp2 (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap libseccomp2 >/dev/null; \
	fi

# The cgroup v2 test boots Debian's kernel under qemu with a busybox initramfs it builds
# (tests/cgroup_vm.py). Installed here when missing and we are root; otherwise the test skips
# locally and fails in CI.
cgroup-v2-vm:
	@if ! (command -v qemu-system-x86_64 >/dev/null && ls /boot/vmlinuz-* >/dev/null 2>&1 && [ -x /bin/busybox ]) \
			&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing qemu, Debian's kernel and busybox for the cgroup v2 test (apt-get, about a minute)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			qemu-system-x86 linux-image-amd64 busybox-static >/dev/null; \
	fi
