#!/usr/bin/env bash
# The GPU checks, as one short script for a lent CUDA machine (under 5 minutes):
#   1. the CUDA tests (bf16 autocast, torch.compile, channels-last through `auto`);
#   2. bench/gpu_training.py: images per second and peak memory per template, with and
#      without torch.compile and bf16.
# That machine has torch but not every dependency: `make gpu-wheels` here saves the missing
# ones in .whl/ (git-ignored), which the run carries and installs first. Figures and logs go
# to $OUT (or bench/results/ when OUT is unset).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-bench/results}
export PYTHONUNBUFFERED=1
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD:$PWD/plugins
else
  export PYTHONPATH=$PWD:$PWD/plugins
fi
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name())"
# The built-in packs are found through entry points when installed; here they are on the path.
python3 -m pip install -q --no-deps --no-build-isolation --no-index -e . 2>/dev/null || true
timeout 150 python3 -m pytest -q -p no:cacheprovider tests/training/test_cuda.py 2>&1 | tee "$out/gpu_tests.log"
timeout 240 python3 bench/gpu_training.py --budget 200 2>&1 | tee "$out/gpu_training.log"
[ "$out" != bench/results ] && cp bench/results/gpu_training.json "$out/" 2>/dev/null
exit 0
