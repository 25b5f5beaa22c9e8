# One command runs exactly what CI runs: `make test`.
PYTHON ?= python3
TORCH_PIN = torch==2.13.0

.PHONY: install install-dev lint typecheck unit test bench bench-gpu demo

# The CPU build of torch is pinned first: an unpinned torch pulls a multi-GB CUDA build.
install:
	$(PYTHON) -m pip install -q $(TORCH_PIN)
	$(PYTHON) -m pip install -q .

install-dev:
	$(PYTHON) -m pip install -q $(TORCH_PIN)
	$(PYTHON) -m pip install -q -e '.[dev]'

lint:
	ruff check graphgan plugins tests bench
	ruff format --check graphgan plugins tests bench

typecheck:
	mypy

unit:
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest -m "not slow" -q

test: lint typecheck unit

# The long checks: figures against hand-written references, then the tests marked slow.
bench:
	$(PYTHON) bench/validation_speed.py
	$(PYTHON) bench/compiled_vs_handwritten.py
	$(PYTHON) bench/training_step.py
	$(PYTHON) bench/template_quality.py
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest -m slow -q || test $$? -eq 5  # 5: none marked yet

# On a CUDA machine: images per second and peak memory per template (under 5 minutes).
bench-gpu:
	$(PYTHON) bench/gpu_training.py

demo: install
	graphgan train cgan --preset demo --out runs/quickstart
