"""Detectors: the order's items, UK patterns, model entities. One interface, small classes."""

from .base import Detector, Hit

__all__ = ["Detector", "Hit"]
