"""Validation: structure, params, port kinds and shape inference, in one analysis pass."""

from graphgan.validation.analysis import analyse, validate
from graphgan.validation.model import Analysis, NetworkInfo, NodeInfo

__all__ = ["Analysis", "NetworkInfo", "NodeInfo", "analyse", "validate"]
