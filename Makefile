# One command runs exactly what CI runs: `make test`.
PYTHON ?= python3
TORCH_PIN = torch==2.13.0

.PHONY: install install-dev lint typecheck unit test bench quality bench-gpu gpu-wheels demo

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
	$(PYTHON) bench/quality
	$(PYTHON) bench/server_load.py
	QT_QPA_PLATFORM=offscreen $(PYTHON) bench/editor_speed.py
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest -m slow -q || test $$? -eq 5  # 5: none marked yet

# Each template's demo trained on its embedded data and scored against its floor (minutes each).
quality:
	$(PYTHON) bench/quality

# On a CUDA machine: the CUDA tests, then images per second and peak memory per template
# (under 5 minutes). `gpu-wheels` saves, here, the dependencies that machine lacks.
bench-gpu:
	bash bench/gpu/run.sh

GPU_WHEELS = pydantic==2.13.4 pydantic-core==2.46.4 annotated-types==0.7.0 \
	typing-inspection==0.4.2 mlxtend==0.25.0
gpu-wheels:
	$(PYTHON) -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
		--implementation cp --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
		--platform any -d .whl $(GPU_WHEELS)

demo: install
	graphgan train cgan --preset demo --out runs/quickstart
