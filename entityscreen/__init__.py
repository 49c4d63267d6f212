"""entityscreen: restricted-party screening with versioned lists and explainable matching."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
