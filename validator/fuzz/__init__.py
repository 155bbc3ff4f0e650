"""Fuzzing a consumer function with generated responses (imports hypothesis)."""

from validator.fuzz.runner import (
    ConsumerReturnedFalse,
    Failure,
    FuzzFailed,
    FuzzReport,
    PropertyFailed,
    fuzz,
    fuzz_consumer,
)

__all__ = ["ConsumerReturnedFalse", "Failure", "FuzzFailed", "FuzzReport", "PropertyFailed", "fuzz",
           "fuzz_consumer"]
