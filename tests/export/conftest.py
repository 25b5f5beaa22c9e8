"""Export tests compare graphgan's losses with an exported train.py's, bit for bit.

The exported script runs in a subprocess with one thread (OMP_NUM_THREADS=1); graphgan's side
must too, or reductions split across threads round differently and the last bits disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
