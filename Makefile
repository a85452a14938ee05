# Two set-up commands: `make demo` and `make test`. Everything else here serves them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST_PORT ?= 127.0.0.1:8000

.PHONY: demo test install lint fonts browser-deps messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalls only when the dependency pins change.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install fonts
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "群策 Qunce demo: http://$(HOST_PORT)/  (stop with Ctrl-C)"
	@# The task worker and the periodic-job scheduler run beside the web server and stop with it.
	@$(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST_PORT)

# The CJK fonts: Noto for pages and screenshots (without them every Chinese character in a
# screenshot is an empty box), and the AR PL TrueType fonts (宋/明 and 楷) that notice PDFs embed.
FONT_PACKAGES := fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai
fonts:
	@if ! dpkg -s $(FONT_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			$(FONT_PACKAGES); \
	fi

# Debian's Chromium for the browser tests: Playwright cannot download its own here.
browser-deps: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: install browser-deps lint
	$(BIN)/python manage.py check
	QUNCE_ENV=production SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
		COUNSELLING_KEY=$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
		ALLOWED_HOSTS=qunce.example.edu.cn REDIS_URL=redis://127.0.0.1:6379/0 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# After editing Chinese strings: refresh the English catalogue, translate, then compile.
messages: install
	cd qunce && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete --no-location
	cd qunce && ../$(BIN)/python ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
