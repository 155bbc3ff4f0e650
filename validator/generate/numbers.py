"""Numbers for a shape: bounds, exclusive bounds and multipleOf, in exact arithmetic.

Integers are drawn as k * step inside the bounds (step: the lcm of every multipleOf,
made integral for integer types); floats only where the type allows non-integers and no
step applies. Every candidate also passes `fits`, which compares exactly (Python compares
int and float exactly) and tests multiples as decimals and as floats, so a value is never
the exclusive bound, never 2**53 + 1 for multipleOf 2.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from validator.generate.shapes import Shape, Unsatisfiable, meets_multiples


def number_fits(shape: Shape) -> Callable[[Any], bool]:
    """Whether a number meets the shape's bounds and multiples."""
    def fits(value: Any) -> bool:
        if shape.minimum is not None and value < shape.minimum:
            return False
        if shape.maximum is not None and value > shape.maximum:
            return False
        if shape.exclusive_minimum is not None and value <= shape.exclusive_minimum:
            return False
        if shape.exclusive_maximum is not None and value >= shape.exclusive_maximum:
            return False
        return meets_multiples(shape, value)
    return fits


def _bounds(shape: Shape) -> tuple[Any, Any]:
    low = shape.minimum
    if shape.exclusive_minimum is not None and (low is None or shape.exclusive_minimum >= low):
        low = shape.exclusive_minimum
    high = shape.maximum
    if shape.exclusive_maximum is not None and (high is None or shape.exclusive_maximum <= high):
        high = shape.exclusive_maximum
    return low, high


def integer_strategy(shape: Shape) -> st.SearchStrategy[int] | None:
    """Integers meeting the shape (None when none exist)."""
    low, high = _bounds(shape)
    step = shape.multiple_of
    unit = 1 if step is None else step.numerator  # integral multiples of p/q: of p
    first = None if low is None else _ceil_div(math.floor(low) + 1 if _excl_low(shape, low)
                                               else math.ceil(low), unit)
    last = None if high is None else _floor_div(math.ceil(high) - 1 if _excl_high(shape, high)
                                                else math.floor(high), unit)
    if first is not None and last is not None and first > last:
        return None
    fits = number_fits(shape)
    return st.integers(first, last).map(lambda k: k * unit).filter(fits)


def float_strategy(shape: Shape) -> st.SearchStrategy[float] | None:
    """Non-integral floats meeting the shape (None when the bounds leave no room)."""
    low, high = _bounds(shape)
    step = shape.multiple_of
    fits = number_fits(shape)
    if step is not None:
        first = None if low is None else math.ceil(Fraction(low) / step)
        last = None if high is None else math.floor(Fraction(high) / step)
        if first is not None and last is not None and first > last:
            return None
        return st.integers(first, last).map(lambda k: float(k * step)).filter(fits)
    low_f = None if low is None else float(low)
    high_f = None if high is None else float(high)
    if low_f is not None and high_f is not None and (
            low_f > high_f or (low_f == high_f and (_excl_low(shape, low) or
                                                    _excl_high(shape, high)))):
        return None
    if (low_f is not None and abs(low_f) > 1e300) or (high_f is not None and abs(high_f) > 1e300):
        return None
    return st.floats(low_f, high_f, allow_nan=False, allow_infinity=False,
                     exclude_min=low_f is not None and _excl_low(shape, low),
                     exclude_max=high_f is not None and _excl_high(shape, high)).filter(fits)


def number_edges(shape: Shape, integral: bool) -> list[Any]:
    """The bounds (or the nearest valid values inside them), 0, 1, -1 and big integers."""
    low, high = _bounds(shape)
    candidates: list[Any] = [0, 1, -1]
    for bound, inward in ((low, 1), (high, -1)):
        if bound is None:
            continue
        near = math.ceil(bound) if inward > 0 else math.floor(bound)
        candidates += [near, near + inward, bound]
        step = shape.multiple_of
        if step is not None:
            k = math.ceil(Fraction(bound) / step) if inward > 0 else \
                math.floor(Fraction(bound) / step)
            for j in (k, k + inward):
                exact = j * step
                candidates.append(int(exact) if exact.denominator == 1 else float(exact))
    if low is None and high is None:
        candidates += [2**53 + 1, -(2**63)]
    fits = number_fits(shape)
    found = []
    for value in candidates:
        if integral and isinstance(value, float):
            if not value.is_integer():
                continue
            value = int(value)
        if fits(value) and value not in found:
            found.append(value)
    return found


def numbers(shape: Shape, name: str, edge_only: bool) -> st.SearchStrategy[Any]:
    """(general or edge) numbers of type `name` for the shape; Unsatisfiable when none."""
    integral = name == "integer"
    ints = integer_strategy(shape)
    floats = None if integral else float_strategy(shape)
    parts = [s for s in (ints, floats) if s is not None]
    if not parts:
        raise Unsatisfiable(f"no {name} in the bounds")
    edges = number_edges(shape, integral)
    if edges and edge_only:
        return st.sampled_from(edges)
    general = st.one_of(parts)
    return st.one_of(general, st.sampled_from(edges)) if edges else general


def _excl_low(shape: Shape, low: Any) -> bool:
    return shape.exclusive_minimum is not None and low == shape.exclusive_minimum and (
        shape.minimum is None or shape.exclusive_minimum >= shape.minimum)


def _excl_high(shape: Shape, high: Any) -> bool:
    return shape.exclusive_maximum is not None and high == shape.exclusive_maximum and (
        shape.maximum is None or shape.exclusive_maximum <= shape.maximum)


def _ceil_div(value: int, unit: int) -> int:
    return -(-value // unit)


def _floor_div(value: int, unit: int) -> int:
    return value // unit
